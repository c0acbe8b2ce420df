package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.StateKey;
import dev.guildhall.core.workflow.Step;
import dev.guildhall.core.workflow.StepOptions;
import dev.guildhall.core.workflow.Update;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcJobQueue;
import dev.guildhall.store.jdbc.JdbcRunStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's commands, run in-process as bin/guildhall runs them, on a real database: runs
 * submitted to the queue and driven by a worker command, runs listed and shown, storage reported,
 * dead letters retried and discarded, retention passes. Subclasses say which database.
 */
abstract class OperatorCommandsContract {
    static final Path HOME = GuildhallCliIT.HOME;
    static final Path WORKFLOW = GuildhallCliIT.WORKFLOW;
    static final StateKey<List<String>> TRAIL = StateKey.list("trail", String.class);

    @TempDir
    Path data;

    /** The variables that name the database ({@code GUILDHALL_DB_URL} ...); empty for the embedded one. */
    abstract Map<String, String> databaseEnv();

    record Result(int code, String out, String err) {
        List<String> lines() {
            return Arrays.asList(out.strip().split("\n"));
        }
    }

    Result run(String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("GUILDHALL_HOME", HOME.toString());
        env.put("GUILDHALL_DATA_DIR", data.toString());
        env.putAll(databaseEnv());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GuildhallCli.execute(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Result(code, out.toString(), err.toString());
    }

    /** The database the commands use, opened the way they open it. */
    JdbcDatabase database() {
        Map<String, String> env = new HashMap<>(databaseEnv());
        return CliStore.open(data, env);
    }

    String submit(String message) {
        Result r = run(
                "run", WORKFLOW.toString(), "--submit", "--json", "--input-json", "{\"message\":\"" + message + "\"}");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode submitted = Json.parse(r.out().strip());
        assertThat(submitted.path("type").asText()).isEqualTo("RunSubmitted");
        return submitted.path("run").asText();
    }

    @Test
    void a_submitted_run_waits_in_the_queue_until_a_worker_command_drives_it() {
        String run = submit("my card was declined");

        Result pending = run("runs", "list", "--status", "pending");
        assertThat(pending.code()).as(pending.err()).isZero();
        assertThat(pending.out()).contains(run, "support-desk", "PENDING", "1 run(s)");

        Result worker = run("worker", WORKFLOW.toString(), "--drain", "--concurrency", "2", "--id", "w-test");
        assertThat(worker.code()).as(worker.err()).isZero();
        assertThat(worker.err())
                .contains("guildhall worker w-test: workflows [support-desk]")
                .contains("stopped after driving");

        Result show = run("runs", "show", run);
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("run " + run)
                .contains("workflow   support-desk")
                .contains("status     SUCCEEDED")
                .contains("history (")
                .contains("PENDING", "RUNNING");
        Result listed = run("runs", "list", "--json");
        assertThat(listed.lines()).singleElement().satisfies(line -> {
            JsonNode n = Json.parse(line);
            assertThat(n.path("run").asText()).isEqualTo(run);
            assertThat(n.path("status").asText()).isEqualTo("SUCCEEDED");
        });
    }

    @Test
    void runs_show_prints_the_checkpoint_history_as_json_when_asked() {
        Result ran =
                run("run", WORKFLOW.toString(), "--json", "--input-json", "{\"message\":\"my card was declined\"}");
        assertThat(ran.code()).as(ran.err()).isZero();
        String[] lines = ran.out().strip().split("\n");
        String run = Json.parse(lines[lines.length - 1]).path("run").asText();

        Result show = run("runs", "show", run, "--json");

        assertThat(show.code()).as(show.err()).isZero();
        JsonNode n = Json.parse(show.out());
        assertThat(n.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(n.path("workflow").asText()).isEqualTo("support-desk");
        JsonNode history = n.path("history");
        assertThat(history.size()).isGreaterThan(2);
        assertThat(history.get(0).path("status").asText()).isEqualTo("PENDING");
        assertThat(history.get(history.size() - 1).path("version").asLong())
                .isEqualTo(n.path("version").asLong());
        assertThat(n.path("storage").path("checkpoints").asLong()).isEqualTo(history.size());
    }

    @Test
    void runs_storage_reports_each_run_and_the_totals_per_workspace() {
        submit("where is my refund?");
        submit("my card was declined");
        assertThat(run("worker", WORKFLOW.toString(), "--drain").code()).isZero();

        Result text = run("runs", "storage");
        Result json = run("runs", "storage", "--json");

        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("CHECKPOINTS", "PAYLOADS", "BYTES", "default", "total");
        List<JsonNode> rows = json.lines().stream().map(Json::parse).toList();
        assertThat(rows).extracting(r -> r.path("type").asText()).containsExactly("run", "run", "workspace", "total");
        JsonNode total = rows.get(3);
        assertThat(total.path("runs").asLong()).isEqualTo(2);
        assertThat(total.path("bytes").asLong())
                .isEqualTo(rows.get(0).path("bytes").asLong()
                        + rows.get(1).path("bytes").asLong())
                .isPositive();
        assertThat(total.path("checkpoints").asLong())
                .isEqualTo(rows.get(0).path("checkpoints").asLong()
                        + rows.get(1).path("checkpoints").asLong());
    }

    @Test
    void retention_run_compacts_finished_runs_and_prints_storage_before_and_after() {
        String run = submit("my card was declined");
        assertThat(run("worker", WORKFLOW.toString(), "--drain").code()).isZero();
        long checkpoints = Json.parse(run("runs", "show", run, "--json").out())
                .path("history")
                .size();

        Result r = run("retention", "run", "--compact-after", "0s", "--delete-after", "never");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("retention: compact after 0s, delete after never")
                .contains("compacted 1 run(s), deleted 0 run(s); removed " + (checkpoints - 1) + " checkpoint(s)")
                .contains("storage: 1 run(s), " + checkpoints + " checkpoint(s)")
                .contains("; 1 run(s), 1 checkpoint(s)");
        JsonNode shown = Json.parse(run("runs", "show", run, "--json").out());
        assertThat(shown.path("history").size()).isEqualTo(1);
        assertThat(shown.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(shown.path("storage").path("compacted").asBoolean()).isTrue();

        Result deleted = run("retention", "run", "--json", "--workspace-policy", "default=0s:0s");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(Json.parse(deleted.out()).path("runsDeleted").asLong()).isEqualTo(1);
        assertThat(run("runs", "list").out()).startsWith("no runs");
    }

    /** A run whose only step fails at once: with a worker, a dead letter. */
    static Workflow checkout(AtomicBoolean declined) {
        return Workflow.builder("checkout")
                .keys(TRAIL)
                .step("reserve", Step.of(s -> Update.of(TRAIL, List.of("reserved"))))
                .step(
                        "charge",
                        Step.of(s -> {
                            if (declined.get()) {
                                throw new IllegalStateException("card declined");
                            }
                            return Update.of(TRAIL, List.of("charged"));
                        }),
                        StepOptions.builder().retry(RetryPolicy.NONE).build())
                .chain("reserve", "charge")
                .build();
    }

    DurableRuntime node(JdbcDatabase db, Workflow wf) {
        WorkerOptions options = WorkerOptions.defaults("test-node")
                .withIdlePoll(Duration.ofMillis(20))
                .withShutdownGrace(Duration.ofSeconds(2));
        return DurableRuntime.open(
                        db, Clock.systemUTC(), options, b -> b.workflows(new WorkflowRegistry().register(wf)))
                .start();
    }

    RunId deadLetter(JdbcDatabase db, AtomicBoolean declined) {
        Workflow wf = checkout(declined);
        try (DurableRuntime node = node(db, wf)) {
            RunId run = node.engine()
                    .start(wf, StartRequest.of(WorkspaceId.of("shop"), Json.object()))
                    .id();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !node.deadLetters(10).isEmpty());
            return run;
        }
    }

    @Test
    void a_dead_letter_retried_from_the_cli_is_running_and_due_again_and_a_worker_then_finishes_it() {
        AtomicBoolean declined = new AtomicBoolean(true);
        try (JdbcDatabase db = database()) {
            RunId run = deadLetter(db, declined);

            Result dead = run("runs", "dead");
            assertThat(dead.code()).as(dead.err()).isZero();
            assertThat(dead.out()).contains(run.value(), "card declined", "1 dead letter(s)");
            Result deadJson = run("runs", "dead", "--json");
            assertThat(Json.parse(deadJson.out().strip()).path("run").asText()).isEqualTo(run.value());

            Result retried = run("runs", "retry", run.value());

            assertThat(retried.code()).as(retried.err()).isZero();
            assertThat(retried.out()).contains("run " + run + " retried: RUNNING");
            JdbcRunStore store = new JdbcRunStore(db.dataSource());
            assertThat(store.get(run).status()).isEqualTo(RunStatus.RUNNING);
            JdbcJobQueue queue = new JdbcJobQueue(db.dataSource(), Clock.systemUTC());
            assertThat(queue.stats().due()).as("due again").isEqualTo(1);
            assertThat(queue.deadLetters(10)).isEmpty();

            declined.set(false);
            try (DurableRuntime node = node(db, checkout(declined))) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> store.get(run).status() == RunStatus.SUCCEEDED);
            }
            assertThat(store.get(run).state().get(TRAIL)).containsExactly("reserved", "charged");
        }
    }

    @Test
    void retrying_or_discarding_a_run_that_is_no_dead_letter_is_a_one_line_error() {
        String run = submit("my card was declined");

        Result retry = run("runs", "retry", run);
        Result discard = run("runs", "discard", "no-such-run");
        Result show = run("runs", "show", "no-such-run");

        assertThat(retry.code()).isEqualTo(1);
        assertThat(retry.err().strip())
                .isEqualTo("guildhall: run " + run + " is not a dead letter (guildhall runs dead lists them)");
        assertThat(discard.code()).isEqualTo(1);
        assertThat(discard.err().strip()).startsWith("guildhall: run no-such-run is not a dead letter");
        assertThat(show.code()).isEqualTo(1);
        assertThat(show.err().strip()).isEqualTo("guildhall: no run no-such-run in the store");
    }

    @Test
    void a_discarded_dead_letter_leaves_the_queue_and_retention_may_then_delete_its_run() {
        try (JdbcDatabase db = database()) {
            RunId run = deadLetter(db, new AtomicBoolean(true));
            Result kept = run("retention", "run", "--compact-after", "0s", "--delete-after", "0s");
            assertThat(kept.out())
                    .as("a dead letter keeps its history")
                    .contains("compacted 0 run(s), deleted 0 run(s)");

            Result discarded = run("runs", "discard", run.value());

            assertThat(discarded.code()).as(discarded.err()).isZero();
            assertThat(discarded.out()).contains("run " + run + " discarded: FAILED");
            assertThat(run("runs", "dead").out()).startsWith("no dead letters");
            Result deleted = run("retention", "run", "--compact-after", "0s", "--delete-after", "0s");
            assertThat(deleted.out()).contains("deleted 1 run(s)");
            assertThat(new JdbcRunStore(db.dataSource()).find(run)).isEmpty();
        }
    }

    @Test
    void discarding_a_run_whose_worker_kept_dying_cancels_it() {
        try (JdbcDatabase db = database()) {
            Workflow wf = checkout(new AtomicBoolean(false));
            RunId run;
            // A node that does not drive: the run stays PENDING with a due queue entry.
            try (DurableRuntime idle = DurableRuntime.open(
                    db, Clock.systemUTC(), WorkerOptions.defaults("idle"), b -> b.workflows(new WorkflowRegistry()))) {
                run = idle.engine()
                        .start(wf, StartRequest.of(WorkspaceId.of("shop"), Json.object()))
                        .id();
            }
            JdbcJobQueue queue = new JdbcJobQueue(db.dataSource(), Clock.systemUTC());
            var lease = queue.claim("doomed-worker", 1, Duration.ofSeconds(30)).get(0);
            queue.deadLetter(lease, "lease expired 5 times: its worker died or hung while driving it");

            Result dead = run("runs", "dead");
            Result discarded = run("runs", "discard", run.value());

            assertThat(dead.out()).contains(run.value(), "lease expired 5 times");
            assertThat(discarded.code()).as(discarded.err()).isZero();
            assertThat(discarded.out()).contains("run " + run + " discarded: CANCELLED");
            assertThat(new JdbcRunStore(db.dataSource()).get(run).status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(queue.stats().dead()).isZero();
        }
    }

    @Test
    void bad_retention_and_listing_options_get_one_line_errors() {
        Result badDuration = run("retention", "run", "--compact-after", "soon");
        Result badOverride = run("retention", "run", "--workspace-policy", "acme");
        Result badStatus = run("runs", "list", "--status", "DONE");
        Result inverted = run("retention", "run", "--compact-after", "30d", "--delete-after", "1d");

        assertThat(badDuration.code()).isEqualTo(1);
        assertThat(badDuration.err().strip())
                .isEqualTo("guildhall: --compact-after: duration must look like 500ms, 30s, 5m, 2h, 1d or PT30S,"
                        + " was \"soon\" or never");
        assertThat(badOverride.err().strip()).startsWith("guildhall: --workspace-policy must look like WORKSPACE=");
        assertThat(badStatus.err().strip()).startsWith("guildhall: --status must be one of [PENDING");
        assertThat(inverted.code()).isEqualTo(1);
        assertThat(inverted.err().strip()).startsWith("guildhall: deleteAfter must be >= compactAfter");
    }
}
