package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guildhall support replay, run in-process as bin/guildhall runs it, on a small labelled set. */
class SupportReplayIT {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GuildhallCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void replays_every_message_through_the_desk_and_ends_with_the_machine_readable_line() throws IOException {
        Path train = Files.writeString(dir.resolve("train.csv"), RouterCommandIT.TRAIN);
        Path data = Files.writeString(
                dir.resolve("data.csv"),
                """
                text,label
                my new card hasn't been delivered yet,card_arrival
                I lost my card on the bus,lost_card
                the top up was declined,top_up_failed
                what's the weather in Berlin,oos
                """);

        Result r = run("support", "replay", "--train", train.toString(), "--data", data.toString(), "--no-warm-up");

        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertThat(last)
                .matches("messages=4 routing_accuracy=0\\.\\d{4} escalation_rate=0\\.\\d{4}"
                        + " p50_ms=\\d+\\.\\d{2} p99_ms=\\d+\\.\\d{2} throughput_per_s=\\d+\\.\\d");
        // The weather question is out of scope and reaches a person; it can never count as routed.
        assertThat(r.out()).contains("failed runs 0");
        double escalation = Double.parseDouble(last.replaceAll(".*escalation_rate=(\\S+).*", "$1"));
        assertThat(escalation).isGreaterThanOrEqualTo(0.25);
    }

    @Test
    void a_missing_file_is_one_line_and_exit_code_1() {
        Result r = run(
                "support",
                "replay",
                "--train",
                dir.resolve("nope.csv").toString(),
                "--data",
                dir.resolve("nope.csv").toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .startsWith("guildhall: ")
                .contains("nope.csv")
                .doesNotContain("\n");
    }

    @Test
    void an_unknown_search_mode_is_refused() throws IOException {
        Path train = Files.writeString(dir.resolve("train.csv"), RouterCommandIT.TRAIN);

        Result r =
                run("support", "replay", "--train", train.toString(), "--data", train.toString(), "--search", "magic");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--search must be bm25 or hybrid, was magic");
    }
}
