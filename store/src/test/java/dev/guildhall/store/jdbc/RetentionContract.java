package dev.guildhall.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.jobs.Lease;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.time.MutableClock;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepOutcome;
import dev.guildhall.core.workflow.Update;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention and the storage report on a real database: finished runs are compacted to their final
 * checkpoint and later deleted, per workspace, while dead letters and unfinished runs keep
 * everything. Subclasses say which database.
 */
abstract class RetentionContract {
    static final WorkspaceId ACME = WorkspaceId.of("acme");
    static final WorkspaceId GLOBEX = WorkspaceId.of("globex");
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);
    static final StateKey<String> DRAFT = StateKey.of("draft", String.class);
    static final StateKey<String> CONTRACT = StateKey.of("contract", String.class);
    /** Over the store's inline limit, so each is a payload. */
    static final String FIRST_DRAFT = "a".repeat(5_000);

    static final String FINAL_DRAFT = "b".repeat(7_000);
    static final String SIGNED = "c".repeat(3_000);

    final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    JdbcRunStore store;
    WorkflowEngine engine;

    abstract TestDatabase db();

    @BeforeEach
    void openEngine() {
        db().empty();
        store = new JdbcRunStore(db().dataSource());
        engine = WorkflowEngine.builder().store(store).clock(clock).build();
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** Four supersteps; the draft is rewritten, so its first version is referenced by early checkpoints only. */
    static Workflow contractWorkflow() {
        return Workflow.builder("contract")
                .keys(TRAIL, DRAFT, CONTRACT)
                .step("draft", Step.of(s -> Update.of(DRAFT, FIRST_DRAFT)))
                .step("sign", ctx -> StepOutcome.completed(CONTRACT, SIGNED))
                .step("revise", Step.of(s -> Update.of(DRAFT, FINAL_DRAFT)))
                .step("file", Step.of(s -> Update.of(TRAIL, List.of("filed"))))
                .chain("draft", "sign", "revise", "file")
                .build();
    }

    RunId finishedRun(WorkspaceId workspace) {
        RunResult r = engine.run(contractWorkflow(), StartRequest.of(workspace, Json.object()), Duration.ofSeconds(20));
        assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
        return r.id();
    }

    JdbcRetention retention(RetentionPolicy policy) {
        return JdbcRetention.builder(db().dataSource())
                .clock(clock)
                .defaultPolicy(policy)
                .build();
    }

    static RetentionPolicy policy(String compactAfter, String deleteAfter) {
        return new RetentionPolicy(
                compactAfter == null ? null : dev.guildhall.core.util.Durations.parse(compactAfter),
                deleteAfter == null ? null : dev.guildhall.core.util.Durations.parse(deleteAfter));
    }

    long rows(String table, RunId run) {
        String column = table.equals("runs") ? "id" : "run_id";
        return db().count("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = '" + run.value() + "'");
    }

    @Test
    void a_compacted_run_keeps_its_final_state_readable_with_a_history_of_one_entry() {
        RunId run = finishedRun(ACME);
        RunSnapshot before = store.get(run);
        assertThat(store.history(run)).hasSizeGreaterThan(3);
        clock.advance(Duration.ofDays(8));

        RetentionReport report = retention(policy("7d", "30d")).run();

        assertThat(report.runsCompacted()).isEqualTo(1);
        assertThat(report.runsDeleted()).isZero();
        RunSnapshot after = store.find(run).orElseThrow();
        assertThat(after.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.state().toJson()).isEqualTo(before.state().toJson());
        assertThat(after.state().get(DRAFT)).isEqualTo(FINAL_DRAFT);
        assertThat(store.history(run)).hasSize(1).first().satisfies(h -> assertThat(h.version())
                .isEqualTo(before.version()));
        assertThat(db().count("SELECT COUNT(*) FROM runs WHERE compacted = TRUE"))
                .isEqualTo(1);
    }

    @Test
    void compaction_removes_only_the_payloads_the_final_checkpoint_no_longer_refers_to() {
        RunId run = finishedRun(ACME);
        assertThat(rows("payloads", run))
                .as("first draft, signed contract, final draft")
                .isEqualTo(3);
        clock.advance(Duration.ofDays(8));

        RetentionReport report = retention(policy("7d", null)).run();

        assertThat(report.payloadsRemoved()).isEqualTo(1);
        assertThat(rows("payloads", run)).isEqualTo(2);
        assertThat(db().count("SELECT COUNT(*) FROM payloads WHERE size_bytes = " + FIRST_DRAFT.length() + 2))
                .as("the first draft (a JSON string, quotes included) is gone")
                .isZero();
        assertThat(store.get(run).state().get(CONTRACT)).isEqualTo(SIGNED);
        assertThat(report.bytesFreed()).isGreaterThanOrEqualTo(FIRST_DRAFT.length());
    }

    @Test
    void the_storage_report_counts_checkpoints_payloads_and_bytes_per_run_and_per_workspace() {
        RunId a1 = finishedRun(ACME);
        RunId a2 = finishedRun(ACME);
        RunId g1 = finishedRun(GLOBEX);
        JdbcRunCatalog catalog = new JdbcRunCatalog(db().dataSource());

        JdbcRunCatalog.RunStorage one = catalog.storage(a1).orElseThrow();
        assertThat(one.checkpoints()).isEqualTo(rows("checkpoints", a1));
        assertThat(one.payloads()).isEqualTo(3);
        assertThat(one.payloadBytes()).isEqualTo(FIRST_DRAFT.length() + FINAL_DRAFT.length() + SIGNED.length() + 6);
        assertThat(one.checkpointBytes()).isPositive();
        assertThat(one.bytes()).isEqualTo(one.checkpointBytes() + one.payloadBytes());
        assertThat(catalog.storage(ACME, 10))
                .extracting(JdbcRunCatalog.RunStorage::run)
                .containsExactlyInAnyOrder(a1, a2);
        assertThat(catalog.storage(null, 10)).hasSize(3);

        List<JdbcRunCatalog.WorkspaceStorage> totals = catalog.storageByWorkspace(null);
        assertThat(totals)
                .extracting(JdbcRunCatalog.WorkspaceStorage::workspace)
                .containsExactly(ACME, GLOBEX);
        JdbcRunCatalog.WorkspaceStorage acme = totals.get(0);
        assertThat(acme.runs()).isEqualTo(2);
        assertThat(acme.checkpoints()).isEqualTo(rows("checkpoints", a1) + rows("checkpoints", a2));
        assertThat(acme.payloads()).isEqualTo(6);
        assertThat(acme.bytes())
                .isEqualTo(one.bytes() + catalog.storage(a2).orElseThrow().bytes());
        assertThat(catalog.storageByWorkspace(GLOBEX)).singleElement().satisfies(g -> assertThat(g.bytes())
                .isEqualTo(catalog.storage(g1).orElseThrow().bytes()));
    }

    @Test
    void compaction_frees_what_the_storage_report_said_the_earlier_checkpoints_took() {
        RunId run = finishedRun(ACME);
        JdbcRunCatalog catalog = new JdbcRunCatalog(db().dataSource());
        JdbcRunCatalog.RunStorage before = catalog.storage(run).orElseThrow();
        clock.advance(Duration.ofDays(8));

        RetentionReport report = retention(policy("7d", null)).run();

        JdbcRunCatalog.RunStorage after = catalog.storage(run).orElseThrow();
        assertThat(after.checkpoints()).isEqualTo(1);
        assertThat(after.compacted()).isTrue();
        assertThat(report.checkpointsRemoved()).isEqualTo(before.checkpoints() - 1);
        assertThat(report.bytesFreed()).isEqualTo(before.bytes() - after.bytes());
    }

    @Test
    void a_run_is_deleted_with_its_checkpoints_payloads_and_signals_after_the_second_limit() {
        RunId run = finishedRun(ACME);
        new JdbcSignalInbox(db().dataSource(), clock, false).deliver(run, "late-reply", Json.object());
        long checkpoints = rows("checkpoints", run);
        clock.advance(Duration.ofDays(8));
        RetentionReport compacted = retention(policy("7d", "30d")).run();
        assertThat(compacted.runsDeleted()).isZero();
        assertThat(store.find(run)).isPresent();

        clock.advance(Duration.ofDays(23));
        RetentionReport deleted = retention(policy("7d", "30d")).run();

        assertThat(deleted.runsDeleted()).isEqualTo(1);
        assertThat(deleted.runsCompacted()).isZero();
        assertThat(deleted.checkpointsRemoved()).isEqualTo(1);
        assertThat(deleted.payloadsRemoved()).isEqualTo(2);
        assertThat(deleted.signalsRemoved()).isEqualTo(1);
        assertThat(compacted.checkpointsRemoved() + deleted.checkpointsRemoved())
                .isEqualTo(checkpoints);
        assertThat(store.find(run)).isEmpty();
        for (String table : List.of("runs", "checkpoints", "payloads", "signals")) {
            assertThat(rows(table, run)).as(table).isZero();
        }
    }

    @Test
    void a_run_past_both_limits_is_deleted_without_being_compacted_first() {
        RunId run = finishedRun(ACME);
        clock.advance(Duration.ofDays(60));

        RetentionReport report = retention(policy("7d", "30d")).run();

        assertThat(report.runsDeleted()).isEqualTo(1);
        assertThat(report.runsCompacted()).isZero();
        assertThat(store.find(run)).isEmpty();
    }

    @Test
    void a_workspace_override_replaces_the_default_for_that_workspace_only() {
        RunId acme = finishedRun(ACME);
        RunId globex = finishedRun(GLOBEX);
        clock.advance(Duration.ofDays(2));
        JdbcRetention retention = JdbcRetention.builder(db().dataSource())
                .clock(clock)
                .defaultPolicy(policy("7d", "30d"))
                .policy(GLOBEX, policy("1d", "1d"))
                .build();

        RetentionReport report = retention.run();

        assertThat(report.runsDeleted()).isEqualTo(1);
        assertThat(report.runsCompacted()).isZero();
        assertThat(store.find(globex)).isEmpty();
        assertThat(store.history(acme)).hasSizeGreaterThan(1);
        assertThat(retention.policyFor(GLOBEX)).isEqualTo(policy("1d", "1d"));
        assertThat(retention.policyFor(ACME)).isEqualTo(policy("7d", "30d"));

        clock.advance(Duration.ofDays(6));
        assertThat(retention.run().runsCompacted()).isEqualTo(1);
        assertThat(store.history(acme)).hasSize(1);
    }

    @Test
    void a_workspace_that_keeps_everything_is_left_alone_while_others_are_cleaned() {
        RunId acme = finishedRun(ACME);
        RunId globex = finishedRun(GLOBEX);
        clock.advance(Duration.ofDays(365));
        JdbcRetention retention = JdbcRetention.builder(db().dataSource())
                .clock(clock)
                .defaultPolicy(policy("7d", "30d"))
                .policy(ACME, RetentionPolicy.keepForever())
                .build();

        retention.run();

        assertThat(store.history(acme)).hasSizeGreaterThan(1);
        assertThat(store.find(globex)).isEmpty();
    }

    @Test
    void a_dead_lettered_run_keeps_its_whole_history_until_an_operator_discards_it() {
        RunId run = finishedRun(ACME); // Stands in for a failed run: what matters is its jobs row.
        JdbcJobQueue queue = new JdbcJobQueue(db().dataSource(), clock);
        queue.schedule(run, clock.instant());
        Lease lease = queue.claim("w1", 1, Duration.ofMinutes(1)).get(0);
        queue.deadLetter(lease, "card declined");
        long checkpoints = rows("checkpoints", run);
        clock.advance(Duration.ofDays(365));

        RetentionReport untouched = retention(policy("7d", "30d")).run();

        assertThat(untouched).isEqualTo(RetentionReport.NOTHING);
        assertThat(rows("checkpoints", run)).isEqualTo(checkpoints);
        assertThat(rows("payloads", run)).isEqualTo(3);

        assertThat(queue.discard(run)).isTrue();
        assertThat(retention(policy("7d", "30d")).run().runsDeleted()).isEqualTo(1);
    }

    @Test
    void unfinished_runs_are_never_touched() {
        Workflow waiting = Workflow.builder("approval")
                .keys(DRAFT)
                .step("draft", Step.of(s -> Update.of(DRAFT, FIRST_DRAFT)))
                .step(
                        "approve",
                        ctx -> StepOutcome.completed(
                                TRAIL,
                                List.of(ctx.awaitSignal("ok", null)
                                        .orElseThrow()
                                        .toString())))
                .chain("draft", "approve")
                .keys(TRAIL)
                .build();
        RunResult suspended = engine.run(waiting, StartRequest.of(ACME, Json.object()), Duration.ofSeconds(20));
        assertThat(suspended.status()).isEqualTo(RunStatus.SUSPENDED);
        long checkpoints = rows("checkpoints", suspended.id());
        clock.advance(Duration.ofDays(365));

        RetentionReport report = retention(policy("0s", "0s")).run();

        assertThat(report).isEqualTo(RetentionReport.NOTHING);
        assertThat(rows("checkpoints", suspended.id())).isEqualTo(checkpoints);
    }

    @Test
    void many_runs_are_compacted_in_small_batches() {
        List<RunId> runs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            runs.add(finishedRun(i % 2 == 0 ? ACME : GLOBEX));
        }
        clock.advance(Duration.ofDays(8));
        JdbcRetention retention = JdbcRetention.builder(db().dataSource())
                .clock(clock)
                .defaultPolicy(policy("7d", "30d"))
                .batchSize(5)
                .build();

        RetentionReport report = retention.run();

        assertThat(report.runsCompacted()).isEqualTo(12);
        runs.forEach(r -> assertThat(store.history(r)).hasSize(1));
        assertThat(retention.run()).as("a second pass finds nothing left").isEqualTo(RetentionReport.NOTHING);
    }
}
