package dev.guildhall.testkit.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.Failure;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.core.workflow.StaleVersionException;
import dev.guildhall.core.workflow.State;
import dev.guildhall.core.workflow.Wait;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RunStore} must have: what is saved is read back exactly, versions are
 * checked, idempotency keys find the existing run, and the history keeps every checkpoint. An
 * implementation's test overrides {@link #newStore()}, which returns an empty store.
 */
public abstract class RunStoreContract {
    protected static final WorkspaceId ACME = WorkspaceId.of("acme");
    protected static final WorkspaceId GLOBEX = WorkspaceId.of("globex");
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00.123456789Z");

    private RunStore store;

    protected abstract RunStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    protected static RunSnapshot fresh(WorkspaceId workspace, String idempotencyKey) {
        return new RunSnapshot(
                RunId.of(UUID.randomUUID().toString()),
                "onboard",
                workspace,
                UserId.of("dana"),
                idempotencyKey,
                null,
                null,
                RunStatus.PENDING,
                Json.parse("{\"customer\":\"c-1\"}"),
                State.fromJson(Json.parse("{\"customer\":\"c-1\"}")),
                List.of("fetch"),
                Map.of("fetch", 1),
                Map.of(),
                Map.of(),
                0,
                null,
                T0,
                T0,
                0);
    }

    @Test
    void a_created_run_reads_back_as_it_was_stored() {
        RunSnapshot run = fresh(ACME, null);

        store.create(run);

        RunSnapshot read = store.get(run.id());
        assertThat(read.id()).isEqualTo(run.id());
        assertThat(read.workspace()).isEqualTo(ACME);
        assertThat(read.user()).isEqualTo(UserId.of("dana"));
        assertThat(read.status()).isEqualTo(RunStatus.PENDING);
        assertThat(read.input()).isEqualTo(run.input());
        assertThat(read.state().toJson()).isEqualTo(run.state().toJson());
        assertThat(read.frontier()).containsExactly("fetch");
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.version()).isZero();
    }

    @Test
    void a_saved_checkpoint_keeps_waits_journal_visits_failure_and_large_values_exactly() {
        RunSnapshot run = store.create(fresh(ACME, null));
        Instant deadline = T0.plusSeconds(3600).plusNanos(7);
        JsonNode big = Json.toTree(Map.of("text", "y".repeat(10_000)));
        State state = State.fromJson(Json.object().put("count", 3).set("document", big));
        RunSnapshot next = run.moveTo(RunStatus.RUNNING, T0.plusSeconds(1))
                .withProgress(
                        state,
                        List.of("approve", "remind"),
                        Map.of("fetch", 1, "approve", 2),
                        Map.of(
                                "approve", new Wait.Signal("approval", deadline),
                                "remind", new Wait.Timer(deadline)),
                        Map.of("approve", Map.of("memo:sms", Json.toTree(1), "wait:0", Json.toTree("x"))),
                        4,
                        T0.plusSeconds(2))
                .withFailure(new Failure("Boom", "it broke", true, "fetch"))
                .nextVersion();

        store.save(next);

        RunSnapshot read = store.get(run.id());
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(read.state().toJson()).isEqualTo(state.toJson());
        assertThat(read.frontier()).containsExactly("approve", "remind");
        assertThat(read.visits()).isEqualTo(Map.of("fetch", 1, "approve", 2));
        assertThat(read.waits())
                .isEqualTo(
                        Map.of("approve", new Wait.Signal("approval", deadline), "remind", new Wait.Timer(deadline)));
        assertThat(read.journal().get("approve")).containsEntry("memo:sms", Json.toTree(1));
        assertThat(read.superstep()).isEqualTo(4);
        assertThat(read.failure()).isEqualTo(new Failure("Boom", "it broke", true, "fetch"));
        assertThat(read.updatedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void a_save_from_a_stale_version_is_rejected_and_changes_nothing() {
        RunSnapshot run = store.create(fresh(ACME, null));
        store.save(run.moveTo(RunStatus.RUNNING, T0).nextVersion());

        assertThatThrownBy(() -> store.save(run.moveTo(RunStatus.CANCELLED, T0).nextVersion()))
                .isInstanceOf(StaleVersionException.class);
        assertThat(store.get(run.id()).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void saving_an_unknown_run_is_not_found() {
        RunSnapshot ghost = fresh(ACME, null).nextVersion();
        assertThatThrownBy(() -> store.save(ghost)).isInstanceOf(NotFoundException.class);
        assertThat(store.find(ghost.id())).isEmpty();
    }

    @Test
    void an_idempotency_key_returns_the_existing_run_within_its_workspace_only() {
        RunSnapshot first = store.create(fresh(ACME, "order-42"));

        RunSnapshot again = store.create(fresh(ACME, "order-42"));
        RunSnapshot otherTenant = store.create(fresh(GLOBEX, "order-42"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(otherTenant.id()).isNotEqualTo(first.id());
        assertThat(store.findByIdempotencyKey(ACME, "order-42"))
                .map(RunSnapshot::id)
                .contains(first.id());
        assertThat(store.findByIdempotencyKey(ACME, "order-43")).isEmpty();
    }

    @Test
    void the_history_keeps_every_checkpoint_oldest_first() {
        RunSnapshot run = store.create(fresh(ACME, null));
        RunSnapshot running = store.save(run.moveTo(RunStatus.RUNNING, T0).nextVersion());
        store.save(running.moveTo(RunStatus.SUCCEEDED, T0.plusSeconds(1)).nextVersion());

        assertThat(store.history(run.id()))
                .extracting(RunSnapshot::status)
                .containsExactly(RunStatus.PENDING, RunStatus.RUNNING, RunStatus.SUCCEEDED);
        assertThat(store.history(RunId.of("nope"))).isEmpty();
    }

    @Test
    void a_parents_children_are_the_runs_it_started() {
        RunSnapshot parent = store.create(fresh(ACME, null));
        RunSnapshot template = fresh(ACME, null);
        RunSnapshot child = new RunSnapshot(
                RunId.of(UUID.randomUUID().toString()),
                "kid",
                ACME,
                null,
                null,
                parent.id(),
                "kid",
                RunStatus.PENDING,
                template.input(),
                template.state(),
                template.frontier(),
                template.visits(),
                Map.of(),
                Map.of(),
                0,
                null,
                T0,
                T0,
                0);
        store.create(child);
        store.create(fresh(ACME, null));

        assertThat(store.children(parent.id())).containsExactly(child.id());
        assertThat(store.children(child.id())).isEmpty();
    }
}
