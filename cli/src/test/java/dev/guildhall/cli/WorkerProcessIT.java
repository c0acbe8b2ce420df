package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code guildhall worker} as its own process, as an operator runs it: it takes a run submitted by
 * another process on the same embedded database, and stops gracefully on SIGTERM.
 */
class WorkerProcessIT {
    @TempDir
    Path data;

    String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GuildhallCli.execute(
                args,
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of("GUILDHALL_HOME", GuildhallCliIT.HOME.toString(), "GUILDHALL_DATA_DIR", data.toString()));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void a_worker_process_drives_a_run_submitted_from_another_process_and_stops_gracefully_on_sigterm()
            throws IOException, InterruptedException {
        Path log = data.resolve("worker.err");
        Process worker = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        GuildhallCli.class.getName(),
                        "--data-dir",
                        data.toString(),
                        "worker",
                        GuildhallCliIT.WORKFLOW.toString(),
                        "--id",
                        "w-proc"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(log) && Files.readString(log).contains("guildhall worker w-proc:"));

            JsonNode submitted = Json.parse(cli(
                            "run",
                            GuildhallCliIT.WORKFLOW.toString(),
                            "--submit",
                            "--json",
                            "--input-json",
                            "{\"message\":\"my card was declined\"}")
                    .strip());
            String run = submitted.path("run").asText();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cli("runs", "list", "--status", "SUCCEEDED").contains(run));
            worker.destroy(); // SIGTERM
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log))
                    .contains("run started: support-desk")
                    .contains("guildhall worker w-proc: stopping")
                    .containsPattern("stopped after driving [1-9][0-9]* run");
        } finally {
            worker.destroyForcibly();
        }
    }
}
