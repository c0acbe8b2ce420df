package dev.guildhall.server.api;

import dev.guildhall.server.security.ApiKeys;
import dev.guildhall.server.security.Caller;
import dev.guildhall.server.security.Scopes;
import dev.guildhall.store.jdbc.JdbcApiKeyStore;
import dev.guildhall.store.jdbc.JdbcApiKeyStore.ApiKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys of the caller's workspace: created (the key shown once), listed by prefix, revoked. */
@RestController
@RequestMapping("/api/v1/api-keys")
class ApiKeysController {
    private final ApiKeys keys;
    private final JdbcApiKeyStore store;
    private final Clock clock;
    private final AuditController.Recorder audit;

    ApiKeysController(ApiKeys keys, JdbcApiKeyStore store, Clock clock, AuditController.Recorder audit) {
        this.keys = keys;
        this.store = store;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * @param scopes what the key may do, a subset of the caller's scopes; absent means all of them
     * @param expiresAt when the key stops working, or absent for never
     */
    record CreateKey(
            @NotBlank @Size(max = 200) String name,
            @Nullable @Size(max = 20) List<@NotBlank String> scopes,
            @Nullable Instant expiresAt) {}

    record KeyView(
            String id,
            String name,
            String prefix,
            List<String> scopes,
            String createdBy,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {
        static KeyView of(ApiKey k) {
            return new KeyView(
                    k.id(),
                    k.name(),
                    k.prefix(),
                    k.scopes().stream().sorted().toList(),
                    k.user().value(),
                    k.createdAt(),
                    k.expiresAt(),
                    k.revokedAt());
        }
    }

    /** The one response that carries the key itself. */
    record CreatedKey(KeyView apiKey, String key) {}

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_keys:admin')")
    ResponseEntity<CreatedKey> create(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateKey body, HttpServletRequest http) {
        Set<String> scopes = body.scopes() == null ? caller.scopes() : new HashSet<>(body.scopes());
        for (String s : scopes) {
            if (!Scopes.ALL.contains(s)) {
                throw ProblemException.invalid("scopes", "unknown scope '" + s + "'");
            }
            if (!caller.scopes().contains(s)) {
                throw ProblemException.invalid("scopes", "a key cannot have scope '" + s + "', which you do not have");
            }
        }
        if (body.expiresAt() != null && !body.expiresAt().isAfter(clock.instant())) {
            throw ProblemException.invalid("expiresAt", "expiresAt must be in the future");
        }
        ApiKeys.Created created = keys.create(caller.workspace(), caller.user(), body.name(), scopes, body.expiresAt());
        audit.record(
                caller,
                "key.create",
                created.stored().id(),
                created.stored().prefix() + " scopes=" + String.join(" ", new java.util.TreeSet<>(scopes)),
                http);
        return ResponseEntity.created(
                        URI.create("/api/v1/api-keys/" + created.stored().id()))
                .body(new CreatedKey(KeyView.of(created.stored()), created.key()));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_keys:admin')")
    List<KeyView> list(@AuthenticationPrincipal Caller caller) {
        return store.list(caller.workspace()).stream().map(KeyView::of).toList();
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_keys:admin')")
    KeyView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return store.find(caller.workspace(), id)
                .map(KeyView::of)
                .orElseThrow(() -> ProblemException.notFound("API key", id));
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_keys:admin')")
    ResponseEntity<Void> revoke(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, HttpServletRequest http) {
        if (!store.revoke(caller.workspace(), id, clock.instant())) {
            throw ProblemException.notFound("API key", id);
        }
        audit.record(caller, "key.revoke", id, "", http);
        return ResponseEntity.noContent().build();
    }
}
