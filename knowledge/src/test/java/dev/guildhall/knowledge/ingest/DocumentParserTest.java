package dev.guildhall.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentParserTest {
    final DocumentParser parser = new DocumentParser();

    @Test
    void markdown_sections_follow_the_heading_path_and_lose_their_markup() {
        ParsedDocument doc = parser.parse(
                DocumentFormat.MARKDOWN, Fixtures.MARKDOWN.getBytes(StandardCharsets.UTF_8), "cards.md", "cards");

        assertThat(doc.title()).isEqualTo("Card policy");
        assertThat(doc.sections())
                .extracting(Section::headingPath)
                .containsExactly(
                        List.of("Card policy"),
                        List.of("Card policy", "Lost or stolen cards"),
                        List.of("Card policy", "Lost or stolen cards", "Abroad"),
                        List.of("Card policy", "Fees"));
        assertThat(doc.sections().get(0).text()).isEqualTo("Intro text about cards with a link.");
        assertThat(doc.sections().get(1).text()).contains("# not a heading inside code");
        assertThat(doc.sections().get(3).text())
                .isEqualTo("ATM withdrawals are free up to 200 euros a month. Above that, 2 percent is charged.");
    }

    @Test
    void html_keeps_the_visible_text_under_its_headings_and_drops_scripts_styles_and_navigation() {
        ParsedDocument doc =
                parser.parse(DocumentFormat.HTML, Fixtures.HTML.getBytes(StandardCharsets.UTF_8), "s.html", "s");

        assertThat(doc.title()).isEqualTo("Savings accounts");
        assertThat(doc.sections()).hasSize(2);
        assertThat(doc.sections().get(0).headingPath()).containsExactly("Savings accounts");
        assertThat(doc.sections().get(0).text()).isEqualTo("The Easy Saver pays 3.1% interest a year, paid monthly.");
        assertThat(doc.sections().get(1).headingPath()).containsExactly("Savings accounts", "Withdrawals");
        assertThat(doc.sections().get(1).text())
                .isEqualTo("You can withdraw at any time without a fee.\n\n"
                        + "Instant transfers to your current account.\n\nNo notice period.");
        String all = doc.sections().toString();
        assertThat(all).doesNotContain("tracking", "color", "Home | Accounts", "Copyright");
    }

    @Test
    void pdf_text_is_read_page_by_page_with_the_title_from_the_document_information() {
        byte[] pdf = Fixtures.pdf(
                "Overdraft terms",
                List.of(
                        List.of("An arranged overdraft costs 19.9 percent a year.", "Interest is charged daily."),
                        List.of("Unarranged overdrafts are not offered.")));

        ParsedDocument doc = parser.parse(DocumentFormat.PDF, pdf, "overdraft.pdf", "overdraft");

        assertThat(doc.title()).isEqualTo("Overdraft terms");
        assertThat(doc.sections()).extracting(Section::page).containsExactly(1, 2);
        assertThat(doc.sections().get(0).text())
                .contains("An arranged overdraft costs 19.9 percent a year.")
                .contains("Interest is charged daily.");
        assertThat(doc.sections().get(1).text()).contains("Unarranged overdrafts are not offered.");
    }

    @Test
    void plain_text_is_one_section_titled_by_the_file_name() {
        ParsedDocument doc = parser.parse(
                DocumentFormat.TEXT, "First paragraph.\r\n\r\nSecond.".getBytes(StandardCharsets.UTF_8), "a.txt", "a");

        assertThat(doc.title()).isEqualTo("a");
        assertThat(doc.sections()).singleElement().satisfies(s -> {
            assertThat(s.headingPath()).isEmpty();
            assertThat(s.text()).isEqualTo("First paragraph.\n\nSecond.");
        });
    }

    @Test
    void a_file_that_is_not_a_pdf_fails_with_its_name_in_the_message() {
        assertThatThrownBy(() ->
                        parser.parse(DocumentFormat.PDF, "hello".getBytes(StandardCharsets.UTF_8), "fake.pdf", "fake"))
                .isInstanceOf(DocumentParseException.class)
                .hasMessageStartingWith("cannot read fake.pdf as pdf: ");
    }

    @Test
    void formats_come_from_file_extensions() {
        assertThat(DocumentFormat.fromFileName("A.MD")).contains(DocumentFormat.MARKDOWN);
        assertThat(DocumentFormat.fromFileName("x.htm")).contains(DocumentFormat.HTML);
        assertThat(DocumentFormat.fromFileName("x.pdf")).contains(DocumentFormat.PDF);
        assertThat(DocumentFormat.fromFileName("x.txt")).contains(DocumentFormat.TEXT);
        assertThat(DocumentFormat.fromFileName("x.docx")).isEmpty();
    }
}
