package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.json.Json;
import dev.guildhall.testkit.FakeOpenAiServer;
import dev.guildhall.testkit.FakeReply;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guildhall command, run in-process exactly as bin/guildhall runs it. */
class GuildhallCliIT {
    /** Maven runs a module's tests in the module directory; the repository root is its parent. */
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    static final Path WORKFLOW = HOME.resolve("examples/support-desk/workflow.yaml");

    @TempDir
    Path data;

    record Result(int code, String out, String err) {}

    Result run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("GUILDHALL_HOME", HOME.toString());
        env.put("GUILDHALL_DATA_DIR", data.toString());
        env.putAll(extraEnv);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GuildhallCli.execute(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Result(code, out.toString(), err.toString());
    }

    Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void demo_answers_a_known_question_from_the_faq_and_escalates_the_rest_without_a_model() {
        Result r = run("demo");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("models: none configured")
                .contains("intent card, answered (deterministic, reviewed in 1 attempt(s))")
                .contains("[source: faq/cards#declined]")
                .contains("intent complaint, escalated to a human")
                .contains("[retention-specialist] Retention playbook")
                .contains("intent other, escalated to a human")
                .contains("step classify   started (attempt 1)");
    }

    @Test
    void run_with_a_chat_model_uses_it_and_spend_reports_what_it_cost() {
        try (FakeOpenAiServer openai = FakeOpenAiServer.start()) {
            openai.enqueue(
                    FakeReply.text("{\"label\":\"refund\",\"confidence\":0.93}").withUsage(120, 12),
                    FakeReply.text(
                                    "{\"text\":\"Refunds reach your card within 5 working days.\",\"source\":\"faq/refunds#timing\"}")
                            .withUsage(300, 40),
                    FakeReply.text("{\"passed\":true}").withUsage(200, 5));
            Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", openai.baseUrl());

            Result r = run(env, "run", WORKFLOW.toString(), "--input-json", "{\"message\":\"where is my refund?\"}");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out())
                    .contains("run ", "SUCCEEDED", "Refunds reach your card within 5 working days.", "model calls: 3");
            assertThat(r.out()).doesNotContain("cost: $0 ");
            assertThat(openai.requestCount()).isEqualTo(3);
            assertThat(openai.requests().get(0).body().toString()).contains("where is my refund?");

            Result spend = run(env, "spend", "--by", "agent");
            assertThat(spend.code()).as(spend.err()).isZero();
            assertThat(spend.out()).contains("intent-classifier", "faq-answerer", "qa-reviewer");
        }
    }

    @Test
    void run_prints_events_as_json_lines_when_asked() {
        Result r = run("run", WORKFLOW.toString(), "--json", "--input-json", "{\"message\":\"my card was declined\"}");

        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[0]).startsWith("{\"type\":\"RunStarted\"");
        assertThat(lines[lines.length - 1])
                .startsWith("{\"type\":\"RunResult\"")
                .contains("\"status\":\"SUCCEEDED\"");
    }

    @Test
    void a_workflow_waiting_for_a_signal_completes_when_the_signal_is_given(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("approve.yaml"),
                """
                id: approve
                steps:
                  - id: approval
                    wait: {signal: approved, timeout: 1d}
                """);
        Files.createDirectories(dir.resolve("agents"));

        Result waiting = run("run", dir.resolve("approve.yaml").toString());
        Result approved = run("run", dir.resolve("approve.yaml").toString(), "--signal", "approved={\"by\":\"ops\"}");

        assertThat(waiting.code()).isEqualTo(3);
        assertThat(waiting.err()).contains("run suspended waiting for [approval]");
        assertThat(approved.code()).as(approved.err()).isZero();
        assertThat(approved.out()).contains("\"by\" : \"ops\"");
    }

    @Test
    void invalid_agent_definitions_are_reported_with_file_line_and_field_and_exit_1(@TempDir Path dir)
            throws IOException {
        Files.writeString(
                dir.resolve("bad.yaml"),
                """
                id: bad-agent
                tier: 7
                model: none
                fallback: {kind: escalate}
                """);

        Result r = run("agents", "validate", dir.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.yaml:2: field 'tier'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void agents_list_filters_by_tier_and_capability() {
        Result r = run(
                "agents",
                "list",
                HOME.resolve("examples/support-desk/agents").toString(),
                "--tier",
                "1",
                "--capability",
                "routing");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("intent-classifier")
                .doesNotContain("faq-answerer")
                .contains("1 agent");
    }

    @Test
    void bad_input_gets_a_one_line_error_and_a_non_zero_exit() {
        Result notAnObject = run("run", WORKFLOW.toString(), "--input-json", "[1,2]");
        Result notJson = run("run", WORKFLOW.toString(), "--input-json", "{oops");
        Result noFile = run("run", "missing.yaml");
        Result unknownOption = run("run", WORKFLOW.toString(), "--frobnicate");

        assertThat(notAnObject.code()).isEqualTo(1);
        assertThat(notAnObject.err().strip()).isEqualTo("guildhall: the input must be a JSON object, was array");
        assertThat(notJson.code()).isEqualTo(1);
        assertThat(notJson.err()).startsWith("guildhall: invalid JSON");
        assertThat(noFile.err().strip()).isEqualTo("guildhall: workflow file not found: missing.yaml");
        assertThat(unknownOption.code()).isEqualTo(2);
    }

    @Test
    void spend_reads_the_ledger_an_older_cli_left_as_json_lines_after_importing_it_once() throws IOException {
        CostEntry call = new CostEntry(
                Instant.now().minusSeconds(60),
                WorkspaceId.of("default"),
                null,
                null,
                AgentId.of("faq-answerer"),
                CostEntry.Kind.CHAT,
                "openai",
                "gpt-4o-mini",
                ModelPolicy.CHEAP,
                ModelPolicy.CHEAP,
                300,
                40,
                false,
                Duration.ofMillis(420),
                new BigDecimal("0.000069"),
                false,
                false);
        Files.writeString(data.resolve("cost-ledger.jsonl"), Json.write(call) + "\n");

        Result first = run("spend", "--by", "agent");
        Result second = run("spend", "--by", "agent");

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("faq-answerer", "0.000069");
        assertThat(second.out()).as("imported once, not twice").isEqualTo(first.out());
        assertThat(data.resolve("cost-ledger.jsonl")).doesNotExist();
        assertThat(data.resolve("cost-ledger.jsonl.imported")).exists();
    }

    @Test
    void spend_says_so_when_nothing_was_recorded() {
        Result r = run("spend");

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("no model calls recorded");
    }
}
