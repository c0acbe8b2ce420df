package dev.guildhall.server;

import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.server.security.Role;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcIdentityStore.User;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates the first user (owner of the demo workspace) when there is none, and says how to reach
 * the server once it listens. A generated password is printed here once and stored only as a hash.
 */
@Component
class Startup implements ApplicationListener<WebServerInitializedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

    private final ServerSettings settings;
    private final JdbcIdentityStore identities;
    private final PasswordEncoder passwords;
    private final WorkspaceCatalog catalog;
    private final Clock clock;

    Startup(
            ServerSettings settings,
            JdbcIdentityStore identities,
            PasswordEncoder passwords,
            WorkspaceCatalog catalog,
            Clock clock) {
        this.settings = settings;
        this.identities = identities;
        this.passwords = passwords;
        this.catalog = catalog;
        this.clock = clock;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        String generated = bootstrapAdmin();
        int port = event.getWebServer().getPort();
        String base = "http://localhost:" + port;
        StringBuilder msg = new StringBuilder();
        msg.append("\n\nGuildhall server listening on ").append(base).append('\n');
        msg.append("  workspace '")
                .append(settings.demo().workspace())
                .append("' with workflows ")
                .append(catalog.allWorkflows().stream().map(w -> w.id()).toList())
                .append(" and ")
                .append(catalog.registry().size())
                .append(" agents\n");
        msg.append("  store: ")
                .append(
                        settings.db().embedded()
                                ? "H2 file under " + settings.dataPath().toAbsolutePath()
                                : settings.db().url())
                .append(", bus: ")
                .append(settings.redis().enabled() ? "Redis" : "in-process")
                .append('\n');
        if (generated != null) {
            msg.append("  first user created: ")
                    .append(settings.admin().username())
                    .append(" / ")
                    .append(generated)
                    .append("   (shown once; set GUILDHALL_ADMIN_PASSWORD to choose it)\n");
        }
        msg.append("  sign in:  curl -s -X POST ")
                .append(base)
                .append("/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"username\":\"")
                .append(settings.admin().username())
                .append("\",\"password\":\"...\"}'\n");
        msg.append("  then:     curl -s ")
                .append(base)
                .append("/api/v1/workflows -H 'Authorization: Bearer <token>'\n");
        msg.append("  health:   ").append(base).append("/actuator/health\n");
        LOG.info(msg.toString());
    }

    /** Creates the first user when there is none; returns the password when it was generated. */
    private String bootstrapAdmin() {
        if (identities.countUsers() > 0) {
            return null;
        }
        String password = settings.admin().password();
        String generated = null;
        if (password == null || password.isBlank()) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            generated = password;
        }
        UserId id = UserId.of(UUID.randomUUID().toString());
        try {
            identities.createUser(
                    new User(id, settings.admin().username(), passwords.encode(password), clock.instant()));
        } catch (IllegalArgumentException e) {
            return null; // Another node created it first.
        }
        identities.putMembership(
                new Membership(WorkspaceId.of(settings.demo().workspace()), id, Role.OWNER.id()), clock.instant());
        return generated;
    }
}
