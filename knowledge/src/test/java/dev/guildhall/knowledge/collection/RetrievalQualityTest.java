package dev.guildhall.knowledge.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval quality on the Fernway Bank set (48 policy pages written for this test, 55 questions in
 * customers' words with the page that answers each). The floors sit a little under the figures in
 * docs/KNOWLEDGE.md, so a regression fails the build and noise does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetrievalQualityTest {
    /** Maven runs a module's tests in the module directory; the example lives at the repository root. */
    static final Path SET = Path.of("..", "examples", "knowledge", "fernway-bank");

    @TempDir
    static Path data;

    KnowledgeBase kb;
    KnowledgeCollection bank;
    List<RetrievalEvaluation.Question> questions;
    final Map<SearchMode, RetrievalEvaluation.Figures> figures = new EnumMap<>(SearchMode.class);

    @BeforeAll
    void index_the_set() {
        kb = new KnowledgeBase(data, TestEmbedders.bge());
        bank = kb.create(WorkspaceId.of("eval"), CollectionName.of("fernway"));
        assertThat(RetrievalEvaluation.addDirectory(bank, SET.resolve("docs"))).isEqualTo(48);
        questions = RetrievalEvaluation.readQuestions(SET.resolve("questions.csv"));
        for (SearchMode mode : SearchMode.values()) {
            figures.put(mode, RetrievalEvaluation.evaluate(bank, questions, mode, 5));
        }
    }

    @AfterAll
    void close() {
        kb.close();
    }

    @Test
    void every_question_names_a_document_of_the_set() {
        List<DocumentId> ids = bank.documents().stream()
                .map(KnowledgeCollection.DocumentSummary::id)
                .toList();
        assertThat(questions).hasSize(55).allSatisfy(q -> assertThat(ids).contains(q.answer()));
    }

    @Test
    void bm25_recall_at_5_and_mrr_stay_above_their_floors() {
        RetrievalEvaluation.Figures f = figures.get(SearchMode.BM25);
        assertThat(f.recallAtK()).as(f.line()).isGreaterThanOrEqualTo(0.74);
        assertThat(f.mrr()).as(f.line()).isGreaterThanOrEqualTo(0.55);
    }

    @Test
    void vector_recall_at_5_and_mrr_stay_above_their_floors() {
        RetrievalEvaluation.Figures f = figures.get(SearchMode.VECTOR);
        assertThat(f.recallAtK()).as(f.line()).isGreaterThanOrEqualTo(0.83);
        assertThat(f.mrr()).as(f.line()).isGreaterThanOrEqualTo(0.77);
    }

    @Test
    void hybrid_recall_at_5_and_mrr_stay_above_their_floors() {
        RetrievalEvaluation.Figures f = figures.get(SearchMode.HYBRID);
        assertThat(f.recallAtK()).as(f.line()).isGreaterThanOrEqualTo(0.87);
        assertThat(f.mrr()).as(f.line()).isGreaterThanOrEqualTo(0.70);
    }

    @Test
    void hybrid_recalls_at_least_as_much_as_either_mode_alone() {
        assertThat(figures.get(SearchMode.HYBRID).recallAtK())
                .isGreaterThanOrEqualTo(figures.get(SearchMode.BM25).recallAtK())
                .isGreaterThanOrEqualTo(figures.get(SearchMode.VECTOR).recallAtK());
    }

    @Test
    void a_questions_file_without_the_header_is_refused_with_its_line(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("q.csv"), "what?,a.md\n");

        assertThatThrownBy(() -> RetrievalEvaluation.readQuestions(csv))
                .hasMessage(csv + ":1: the header must be question,document");
    }

    @Test
    void quoted_csv_fields_keep_their_commas_and_quotes() {
        assertThat(RetrievalEvaluation.csvFields("\"a, \"\"b\"\"\",c.md")).containsExactly("a, \"b\"", "c.md");
    }
}
