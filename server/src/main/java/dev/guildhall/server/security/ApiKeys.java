package dev.guildhall.server.security;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.store.jdbc.JdbcApiKeyStore;
import dev.guildhall.store.jdbc.JdbcApiKeyStore.ApiKey;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * API keys: {@code ghk_<12 hex prefix>_<43 base64url secret>}. The key is shown once; the store keeps
 * its prefix (to find it and to show which key is which) and a SHA-256 of the whole key. A slow
 * password hash is not needed here: the secret has 256 random bits, so a stolen hash cannot be
 * brute-forced, and a fast hash keeps key checks cheap on every request.
 */
public final class ApiKeys {
    public static final String MARK = "ghk_";
    private static final int PREFIX_HEX = 12;

    private final JdbcApiKeyStore store;
    private final JdbcIdentityStore identities;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(JdbcApiKeyStore store, JdbcIdentityStore identities, Clock clock) {
        this.store = store;
        this.identities = identities;
        this.clock = clock;
    }

    /** A new key and the one time its secret is known. */
    public record Created(ApiKey stored, String key) {}

    public Created create(
            WorkspaceId workspace, UserId user, String name, Set<String> scopes, @Nullable Instant expiresAt) {
        byte[] prefixBytes = new byte[PREFIX_HEX / 2];
        random.nextBytes(prefixBytes);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String prefix = MARK + HexFormat.of().formatHex(prefixBytes);
        String key = prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey stored = store.create(new ApiKey(
                UUID.randomUUID().toString(),
                workspace,
                user,
                name,
                prefix,
                hash(key),
                scopes,
                clock.instant(),
                expiresAt,
                null));
        return new Created(stored, key);
    }

    /**
     * The caller a presented key stands for: empty when the key is unknown, wrong, revoked or
     * expired, or its creator has left the workspace. Its scopes are the key's, cut down to what the
     * creator's role grants now.
     */
    public Optional<Caller> authenticate(String presented) {
        if (!presented.startsWith(MARK) || presented.length() < MARK.length() + PREFIX_HEX + 2) {
            return Optional.empty();
        }
        String prefix = presented.substring(0, MARK.length() + PREFIX_HEX);
        Optional<ApiKey> found = store.findByPrefix(prefix);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiKey key = found.get();
        boolean matches = MessageDigest.isEqual(
                hash(presented).getBytes(StandardCharsets.US_ASCII),
                key.secretHash().getBytes(StandardCharsets.US_ASCII));
        if (!matches || !key.usableAt(clock.instant())) {
            return Optional.empty();
        }
        return identities.findMembership(key.workspace(), key.user()).map(m -> {
            Set<String> scopes = new HashSet<>(key.scopes());
            scopes.retainAll(Role.parse(m.role()).scopes());
            return new Caller(key.user(), key.workspace(), scopes, "key:" + key.id());
        });
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
