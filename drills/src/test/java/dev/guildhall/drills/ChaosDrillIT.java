package dev.guildhall.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The chaos drill, small: {@code scripts/chaos.sh 20} with three worker processes on the local
 * PostgreSQL and Redis, one of them SIGKILLed mid-flight. Larger N is for the command line.
 */
class ChaosDrillIT {

    @Test
    void killing_a_worker_mid_flight_loses_no_run_and_duplicates_no_effect() throws Exception {
        require("PostgreSQL", 5432);
        require("Redis", 6379);
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path log = Files.createTempFile("guildhall-chaos-it", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        "bash", root.resolve("scripts/chaos.sh").toString(), "20")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment()
                .put(
                        "GUILDHALL_CP",
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        pb.environment().put("GUILDHALL_CHAOS_DB", "guildhall_chaos_it");
        Process drill = pb.start();

        boolean finished = drill.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            drill.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String output = String.join("\n", lines);
        assertThat(finished).as("the drill finished in time:\n%s", output).isTrue();
        assertThat(output).contains("chaos: killed w1");
        assertThat(lines.get(lines.size() - 1)).as(output).isEqualTo("runs=20 completed=20 duplicate_effects=0 lost=0");
        assertThat(drill.exitValue()).as(output).isZero();
    }

    private static void require(String service, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        } catch (IOException e) {
            String message = service + " not reachable at 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); start it with scripts/services.sh";
            if (Boolean.parseBoolean(System.getenv("GUILDHALL_REQUIRE_SERVICES"))) {
                fail(message + " (GUILDHALL_REQUIRE_SERVICES=true, so this fails instead of skipping)");
            }
            Assumptions.assumeTrue(false, message);
        }
    }
}
