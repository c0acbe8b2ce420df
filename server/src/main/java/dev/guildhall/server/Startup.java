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
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // A management port of its own is not where users go.
        }
        String generated = bootstrapAdmin();
        LOG.info(message(event.getWebServer().getPort(), generated));
    }

    /** What to print once the server listens: where it is and a ready-to-paste session. */
    String message(int port, String generatedPassword) {
        String base = "http://localhost:" + port;
        String workspace = settings.demo().workspace();
        java.util.List<String> workflows =
                catalog.allWorkflows().stream().map(w -> w.id()).toList();
        String password = generatedPassword != null ? generatedPassword : "<password>";
        StringBuilder m = new StringBuilder();
        m.append("\n\nGuildhall server listening on ").append(base).append('\n');
        m.append("  workspace '")
                .append(workspace)
                .append("' with workflows ")
                .append(workflows)
                .append(" and ")
                .append(catalog.registry().size())
                .append(" agents\n");
        m.append("  store: ")
                .append(
                        settings.db().embedded()
                                ? "H2 file under " + settings.dataPath().toAbsolutePath()
                                : "database " + settings.db().url())
                .append(", bus: ")
                .append(settings.redis().enabled() ? "Redis" : "in-process")
                .append('\n');
        if (generatedPassword != null) {
            m.append("  first user created: ")
                    .append(settings.admin().username())
                    .append(" / ")
                    .append(generatedPassword)
                    .append("   (shown once; set GUILDHALL_ADMIN_PASSWORD to choose it)\n");
        } else {
            m.append("  sign in as '")
                    .append(settings.admin().username())
                    .append("' with the password printed at the first start (or GUILDHALL_ADMIN_PASSWORD)\n");
        }
        m.append("  API docs: ").append(base).append("/swagger-ui.html   health: ");
        m.append(base).append("/actuator/health\n\n");
        m.append("  # sign in, list the agents, start a demo run:\n");
        m.append("  TOKEN=$(curl -s -X POST ")
                .append(base)
                .append("/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"username\":\"")
                .append(settings.admin().username())
                .append("\",\"password\":\"")
                .append(password)
                .append("\"}' | sed -E 's/.*\"accessToken\":\"([^\"]+)\".*/\\1/')\n");
        m.append("  curl -s ").append(base).append("/api/v1/agents -H \"Authorization: Bearer $TOKEN\"\n");
        if (!workflows.isEmpty()) {
            m.append("  curl -s -X POST ")
                    .append(base)
                    .append("/api/v1/runs -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'")
                    .append(" -d '{\"workflow\":\"")
                    .append(workflows.get(0))
                    .append("\",\"input\":{\"message\":\"I lost my card\"}}'\n");
        }
        return m.toString();
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
