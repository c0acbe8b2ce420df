package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.State;
import dev.guildhall.store.jdbc.JdbcApiKeyStore.ApiKey;
import dev.guildhall.store.jdbc.JdbcIdentityStore.Membership;
import dev.guildhall.store.jdbc.JdbcIdentityStore.User;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns.Page;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's tables (V3) and the workspace-scoped run reads, on any database. */
abstract class IdentitiesKeysAndWorkspaceRunsContract {
    static final Instant T0 = Instant.parse("2026-03-01T09:00:00.000000001Z");
    static final WorkspaceId ACME = WorkspaceId.of("acme");
    static final WorkspaceId GLOBEX = WorkspaceId.of("globex");

    abstract TestDatabase db();

    JdbcIdentityStore identities;
    JdbcApiKeyStore keys;
    JdbcRunStore runStore;
    JdbcWorkspaceRuns runs;

    @BeforeEach
    void empty() throws SQLException {
        db().empty();
        try (Connection c = db().dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String table : List.of("api_keys", "memberships", "users", "workflow_definitions")) {
                s.execute("DELETE FROM " + table);
            }
        }
        identities = new JdbcIdentityStore(db().dataSource());
        keys = new JdbcApiKeyStore(db().dataSource());
        runStore = new JdbcRunStore(db().dataSource());
        runs = new JdbcWorkspaceRuns(db().dataSource(), runStore);
    }

    @Test
    void a_username_is_unique_and_memberships_are_per_workspace() {
        User dana = identities.createUser(new User(UserId.of("u-1"), "dana", "{bcrypt}hash", T0));
        assertThatThrownBy(() -> identities.createUser(new User(UserId.of("u-2"), "dana", null, T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taken");
        assertThat(identities.findUserByName("dana")).contains(dana);
        assertThat(identities.countUsers()).isEqualTo(1);

        identities.putMembership(new Membership(ACME, dana.id(), "member"), T0);
        identities.putMembership(new Membership(ACME, dana.id(), "admin"), T0); // Replaces the role.
        identities.putMembership(new Membership(GLOBEX, dana.id(), "viewer"), T0);
        assertThat(identities.findMembership(ACME, dana.id())).contains(new Membership(ACME, dana.id(), "admin"));
        assertThat(identities.memberships(dana.id()))
                .extracting(Membership::workspace)
                .containsExactly(ACME, GLOBEX);
        assertThat(identities.findMembership(WorkspaceId.of("initech"), dana.id()))
                .isEmpty();
    }

    @Test
    void the_last_owner_can_be_neither_demoted_nor_removed() {
        UserId ann = identities
                .createUser(new User(UserId.of("u-a"), "ann", null, T0))
                .id();
        UserId ben = identities
                .createUser(new User(UserId.of("u-b"), "ben", null, T0))
                .id();
        identities.putMembership(new Membership(ACME, ann, "owner"), T0);
        identities.putMembership(new Membership(ACME, ben, "member"), T0);
        assertThat(identities.changeMembership(ACME, ann, "admin")).isEqualTo(JdbcIdentityStore.Change.LAST_OWNER);
        assertThat(identities.changeMembership(ACME, ann, null)).isEqualTo(JdbcIdentityStore.Change.LAST_OWNER);
        assertThat(identities.changeMembership(ACME, ben, "owner")).isEqualTo(JdbcIdentityStore.Change.DONE);
        assertThat(identities.changeMembership(ACME, ann, null)).isEqualTo(JdbcIdentityStore.Change.DONE);
        assertThat(identities.changeMembership(ACME, ann, "viewer")).isEqualTo(JdbcIdentityStore.Change.NOT_A_MEMBER);
        assertThat(identities.members(ACME))
                .extracting(JdbcIdentityStore.Member::username, JdbcIdentityStore.Member::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ben", "owner"));
    }

    @Test
    void registered_workflows_are_versioned_per_workspace() {
        JdbcWorkflowDefinitions defs = new JdbcWorkflowDefinitions(db().dataSource());
        UserId u = UserId.of("u-1");
        assertThat(defs.insert(new JdbcWorkflowDefinitions.Definition(ACME, "triage", 1, "v1", u, T0)))
                .isTrue();
        assertThat(defs.insert(new JdbcWorkflowDefinitions.Definition(ACME, "triage", 1, "again", u, T0)))
                .as("a version is written once")
                .isFalse();
        assertThat(defs.insert(new JdbcWorkflowDefinitions.Definition(ACME, "triage", 2, "v2", u, T0)))
                .isTrue();
        assertThat(defs.insert(new JdbcWorkflowDefinitions.Definition(GLOBEX, "triage", 1, "globex", u, T0)))
                .isTrue();
        assertThat(defs.latest(ACME, "triage").orElseThrow().yaml()).isEqualTo("v2");
        assertThat(defs.version(ACME, "triage", 1).orElseThrow().yaml()).isEqualTo("v1");
        assertThat(defs.versions(ACME, "triage")).containsExactly(1, 2);
        assertThat(defs.list(ACME))
                .extracting(JdbcWorkflowDefinitions.Definition::yaml)
                .containsExactly("v2");
        assertThat(defs.latest(GLOBEX, "triage").orElseThrow().yaml()).isEqualTo("globex");
        assertThat(defs.latest(WorkspaceId.of("initech"), "triage")).isEmpty();
    }

    @Test
    void api_keys_are_found_by_prefix_and_read_and_revoked_only_in_their_workspace() {
        ApiKey key = keys.create(new ApiKey(
                "k-1",
                ACME,
                UserId.of("u-1"),
                "ci",
                "ghk_0123456789ab",
                "f".repeat(64),
                Set.of("runs:read"),
                T0,
                T0.plusSeconds(3600),
                null));
        assertThat(keys.findByPrefix("ghk_0123456789ab")).contains(key);
        assertThat(keys.find(ACME, "k-1")).contains(key);
        assertThat(keys.find(GLOBEX, "k-1")).isEmpty();
        assertThat(keys.list(GLOBEX)).isEmpty();

        assertThat(keys.revoke(GLOBEX, "k-1", T0.plusSeconds(1))).isFalse();
        assertThat(keys.find(ACME, "k-1").orElseThrow().revokedAt()).isNull();
        assertThat(keys.revoke(ACME, "k-1", T0.plusSeconds(2))).isTrue();
        assertThat(keys.revoke(ACME, "k-1", T0.plusSeconds(3))).isTrue(); // Keeps the first time.
        ApiKey revoked = keys.find(ACME, "k-1").orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(revoked.usableAt(T0.plusSeconds(1))).isFalse();
        assertThat(key.usableAt(T0.plusSeconds(3600))).isFalse(); // Expired.
    }

    @Test
    void runs_are_read_only_through_their_own_workspace() {
        RunSnapshot acmeRun = runStore.create(run(ACME, "onboard", T0));
        assertThat(runs.find(ACME, acmeRun.id())).isPresent();
        assertThat(runs.find(GLOBEX, acmeRun.id())).isEmpty();
        assertThat(runs.history(GLOBEX, acmeRun.id())).isEmpty();
        assertThat(runs.history(ACME, acmeRun.id()).orElseThrow()).hasSize(1);
        assertThat(runs.list(GLOBEX, null, null, null, 10).runs()).isEmpty();
    }

    @Test
    void lists_newest_first_with_filters_and_pages_that_neither_skip_nor_repeat() {
        List<RunId> acme = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // Two runs share each creation time, so the id breaks ties across a page boundary.
            acme.add(runStore.create(run(ACME, i % 3 == 0 ? "billing" : "onboard", T0.plusSeconds(i / 2)))
                    .id());
        }
        runStore.create(run(GLOBEX, "onboard", T0.plusSeconds(100)));

        List<RunId> seen = new ArrayList<>();
        JdbcWorkspaceRuns.Cursor cursor = null;
        do {
            Page page = runs.list(ACME, RunStatus.PENDING, null, cursor, 2);
            page.runs().forEach(r -> seen.add(r.id()));
            cursor = page.next();
        } while (cursor != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(acme);
        assertThat(runs.list(ACME, null, null, null, 100).runs())
                .extracting(JdbcWorkspaceRuns.RunSummary::createdAt)
                .isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(runs.list(ACME, null, "billing", null, 100).runs()).hasSize(3);
        assertThat(runs.list(ACME, RunStatus.SUCCEEDED, null, null, 100).runs()).isEmpty();
    }

    static RunSnapshot run(WorkspaceId workspace, String workflow, Instant at) {
        return new RunSnapshot(
                RunId.of(UUID.randomUUID().toString()),
                workflow,
                workspace,
                UserId.of("dana"),
                null,
                null,
                null,
                RunStatus.PENDING,
                Json.parse("{}"),
                State.fromJson(Json.parse("{}")),
                List.of("start"),
                Map.of("start", 1),
                Map.of(),
                Map.of(),
                0,
                null,
                at,
                at,
                0);
    }
}
