package dev.guildhall.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code guildhall.log-format=json} every log line is one JSON object (Elastic Common Schema),
 * and the lines logged while a run is driven name the run, its workspace and workflow.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void lines_are_json_objects_and_run_lines_carry_the_run_and_workspace(CapturedOutput output) throws IOException {
        Path data = Files.createTempDirectory("guildhall-json-logs");
        // A cached test context of another class may have set logging up in this JVM; Boot does not
        // set it up twice unless told the first set-up is over.
        org.springframework.boot.logging.LoggingSystem.get(getClass().getClassLoader())
                .cleanUp();
        String run;
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(GuildhallServer.class)
                .run(
                        "--server.port=0",
                        "--guildhall.data-dir=" + data,
                        "--guildhall.demo.examples=../examples/support-desk",
                        "--guildhall.admin.password=" + ServerTestSupport.PASSWORD,
                        "--guildhall.jwt.secret=" + ServerTestSupport.SECRET,
                        "--guildhall.log-format=json",
                        "--logging.config=classpath:logback-json-test.xml",
                        "--logging.level.dev.guildhall.server.RunLogContext=DEBUG")) {
            Http http = new Http(Integer.parseInt(server.getEnvironment().getProperty("local.server.port")));
            String token = http.send(
                            "POST",
                            "/api/v1/auth/login",
                            Http.json(Map.of("username", "admin", "password", ServerTestSupport.PASSWORD)))
                    .json()
                    .get("accessToken")
                    .asText();
            Http.Response started = http.post(
                    "/api/v1/runs",
                    token,
                    Http.json(Map.of("workflow", "support-desk", "input", Map.of("message", "I lost my card"))));
            assertThat(started.status()).isEqualTo(201);
            run = started.json().get("id").asText();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut()
                    .contains("Run succeeded"));
        }

        List<JsonNode> lines = new ArrayList<>();
        String out = output.getOut();
        // Lines before the server set logging up come from the tests' plain configuration.
        out = out.substring(Math.max(0, out.indexOf("\n{\"@timestamp\"") + 1));
        for (String line : out.split("\\R")) {
            // spring-jcl prints one plain notice about commons-logging on the class path before logging starts.
            if (!line.isBlank() && !line.startsWith("Standard Commons Logging discovery")) {
                lines.add(JSON.readTree(line)); // Throws on any line that is not JSON.
            }
        }
        assertThat(lines).isNotEmpty().allSatisfy(l -> {
            assertThat(l.path("@timestamp").asText()).isNotBlank();
            assertThat(l.path("log").path("level").asText()).isNotBlank();
            assertThat(l.path("message").isTextual()).isTrue();
        });
        List<JsonNode> runLines = lines.stream()
                .filter(l -> l.path("log").path("logger").asText().endsWith("RunLogContext"))
                .toList();
        assertThat(runLines).extracting(l -> l.path("message").asText()).contains("Run started");
        assertThat(runLines)
                .anySatisfy(l -> assertThat(l.path("message").asText()).startsWith("Step(step="));
        assertThat(runLines).allSatisfy(l -> {
            assertThat(l.path("run").asText()).isEqualTo(run);
            assertThat(l.path("workspace").asText()).isEqualTo("demo");
            assertThat(l.path("workflow").asText()).isEqualTo("support-desk");
        });
    }
}
