package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guildhall router train and eval, run in-process as bin/guildhall runs them. */
class RouterCommandIT {
    static final String TRAIN =
            """
            message,intent
            My card still has not arrived,card_arrival
            When will I get my new card?,card_arrival
            I ordered a card two weeks ago and nothing came,card_arrival
            How long does card delivery take?,card_arrival
            Is my card in the post yet?,card_arrival
            "Still waiting for my card, any news?",card_arrival
            I lost my card,lost_card
            "Someone stole my card, please block it",lost_card
            I can't find my card anywhere,lost_card
            I left my card in a taxi and it's gone,lost_card
            What do I do if my card is lost?,lost_card
            My card went missing yesterday,lost_card
            My top up failed,top_up_failed
            Why did my top-up not go through?,top_up_failed
            Top up didn't work this morning,top_up_failed
            Adding funds failed again,top_up_failed
            My card top up keeps failing,top_up_failed
            Why can't I top up my balance?,top_up_failed
            What is the weather like in Paris tomorrow?,oos
            Tell me a joke about cats,oos
            Who won the football match last night?,oos
            How do I bake sourdough bread?,oos
            Play some relaxing music,oos
            What is the capital of Australia?,oos
            """;

    static final String TEST =
            """
            text,label
            my new card hasn't been delivered yet,card_arrival
            somebody took my card from my bag,lost_card
            the top up was declined,top_up_failed
            what's the weather in Berlin,oos
            """;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GuildhallCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void train_saves_a_router_and_eval_ends_with_the_machine_readable_line() throws IOException {
        Path train = file("train.csv", TRAIN);
        Path test = file("test.csv", TEST);
        Path model = dir.resolve("router.bin");

        Result trained = run("router", "train", "--data", train.toString(), "--out", model.toString());

        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out())
                .contains("trained on 24 rows: 3 labels, 6 out-of-scope rows")
                .contains("none-of-these below confidence");
        assertThat(model).isRegularFile();

        Result evaluated = run("router", "eval", "--model", model.toString(), "--data", test.toString());

        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        String[] lines = evaluated.out().strip().split("\n");
        assertThat(lines[lines.length - 1])
                .matches("accuracy=\\d\\.\\d{4} macro_f1=\\d\\.\\d{4} oos_precision=(\\d\\.\\d{4}|NaN)"
                        + " oos_recall=(\\d\\.\\d{4}|NaN) p50_ms=\\d+\\.\\d{3} p99_ms=\\d+\\.\\d{3}");
        assertThat(evaluated.out()).contains("rows 4 (1 out-of-scope)");
        assertThat(evaluated.err()).isEmpty();
    }

    @Test
    void a_custom_out_of_scope_label_is_not_learned_as_a_route() throws IOException {
        Path train = file("train.csv", TRAIN.replace(",oos", ",none"));
        Path model = dir.resolve("router.bin");

        Result trained =
                run("router", "train", "--data", train.toString(), "--out", model.toString(), "--oos-label", "none");

        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("3 labels, 6 out-of-scope rows");
    }

    @Test
    void bad_input_is_one_line_on_stderr_and_exit_code_1() throws IOException {
        Path model = dir.resolve("router.bin");
        Map<String, String> cases = Map.of(
                "missing.csv", "no such file",
                "empty.csv", "empty file",
                "noheader.csv", "row 1 must be a header",
                "emptylabel.csv", "row 3 has an empty label",
                "oneclass.csv", "training needs at least two labels");
        file("empty.csv", "");
        file("noheader.csv", "my card is lost,lost_card\nwhere is my card,card_arrival\nI lost it,lost_card\n");
        file("emptylabel.csv", "text,label\nmy card is lost,lost_card\nwhere is my card,\n");
        file("oneclass.csv", "text,label\nmy card is lost,lost_card\nI lost it,lost_card\njoke please,oos\n");

        cases.forEach((name, message) -> {
            Result r = run("router", "train", "--data", dir.resolve(name).toString(), "--out", model.toString());
            assertThat(r.code()).as(name).isEqualTo(1);
            assertThat(r.err()).as(name).startsWith("guildhall: ").contains(message);
            assertThat(r.err().strip().lines()).as(name).hasSize(1);
        });
        assertThat(model).doesNotExist();
    }

    @Test
    void eval_of_a_missing_model_fails_with_one_line() throws IOException {
        Path test = file("test.csv", TEST);

        Result r = run("router", "eval", "--model", dir.resolve("nope.bin").toString(), "--data", test.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("guildhall: " + dir.resolve("nope.bin") + ": no such file");
    }
}
