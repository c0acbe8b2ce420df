package dev.guildhall.knowledge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledCsvTest {
    @TempDir
    Path dir;

    Path csv(String content) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void reads_the_first_column_as_text_and_the_second_as_label_whatever_the_header_says() throws IOException {
        Path file = csv("utterance,intent,source\n"
                + "\"Hello, is my card coming?\",card_arrival,web\n"
                + "\"She said \"\"top up\"\" twice\",top_up,app\n"
                + "\"two\nlines\",card_arrival,web\n");

        assertThat(LabelledCsv.read(file))
                .containsExactly(
                        new LabelledExample("Hello, is my card coming?", "card_arrival"),
                        new LabelledExample("She said \"top up\" twice", "top_up"),
                        new LabelledExample("two\nlines", "card_arrival"));
    }

    @Test
    void a_missing_file_is_named() {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> LabelledCsv.read(missing))
                .isInstanceOf(RouterDataException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void an_empty_file_asks_for_a_header_and_rows() throws IOException {
        Path file = csv("");
        assertThatThrownBy(() -> LabelledCsv.read(file))
                .isInstanceOf(RouterDataException.class)
                .hasMessageContaining("empty file")
                .hasMessageContaining("header");
    }

    @Test
    void a_header_without_rows_is_refused() throws IOException {
        Path file = csv("text,label\n");
        assertThatThrownBy(() -> LabelledCsv.read(file)).hasMessageContaining("has a header but no labelled rows");
    }

    @Test
    void a_file_that_starts_with_data_is_missing_its_header() throws IOException {
        Path file = csv("where is my card,card_arrival\nmy card has not come,card_arrival\ntop me up,top_up\n");
        assertThatThrownBy(() -> LabelledCsv.read(file))
                .isInstanceOf(RouterDataException.class)
                .hasMessageContaining("row 1 must be a header")
                .hasMessageContaining("\"card_arrival\" also labels other rows");
    }

    @Test
    void a_single_column_header_is_refused() throws IOException {
        Path file = csv("text\nhello\n");
        assertThatThrownBy(() -> LabelledCsv.read(file))
                .hasMessageContaining("row 1 must be a header with two columns (text,label), found 1 column");
    }

    @Test
    void an_empty_label_names_its_row() throws IOException {
        Path file = csv("text,label\nwhere is my card,card_arrival\ntop me up,\n");
        assertThatThrownBy(() -> LabelledCsv.read(file))
                .isInstanceOf(RouterDataException.class)
                .hasMessage(file + ": row 3 has an empty label");
    }

    @Test
    void a_row_without_a_label_column_names_its_row() throws IOException {
        Path file = csv("text,label\nwhere is my card,card_arrival\njust text\n");
        assertThatThrownBy(() -> LabelledCsv.read(file)).hasMessageContaining("row 3 has no label");
    }
}
