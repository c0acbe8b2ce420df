package dev.guildhall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.collection.CollectionName;
import dev.guildhall.knowledge.collection.DocumentId;
import dev.guildhall.knowledge.collection.Embedder;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.knowledge.collection.NewDocument;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import dev.guildhall.testkit.FakeOpenAiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guildhall knowledge} with a remote embedding model, and a search beside a process that holds the writer. */
class KnowledgeEmbeddingsCliIT {
    @TempDir
    Path data;

    record Result(int code, String out, String err) {}

    Result run(Map<String, String> extraEnv, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("GUILDHALL_DATA_DIR", data.resolve("data").toString());
        int code = GuildhallCli.execute(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void an_openai_compatible_embedding_model_indexes_and_searches_and_is_recorded_with_the_vectors()
            throws IOException {
        try (FakeOpenAiServer server = FakeOpenAiServer.start().embeddingDimension(24)) {
            Map<String, String> env = Map.of(
                    "OPENAI_BASE_URL", server.baseUrl(),
                    "OPENAI_API_KEY", "sk-test",
                    "GUILDHALL_KNOWLEDGE_EMBEDDINGS", "openai:text-embedding-3-small");
            Path cards = data.resolve("cards.md");
            Files.writeString(cards, "# Cards\n\nFreeze a lost card in the app.");

            assertThat(run(env, "knowledge", "create", "faq").code()).isZero();
            Result add = run(env, "knowledge", "add", "faq", cards.toString());
            assertThat(add.code()).as(add.err()).isZero();
            Result search = run(env, "knowledge", "search", "faq", "lost", "card", "--mode", "vector");
            assertThat(search.code()).as(search.err()).isZero();
            assertThat(search.out()).contains("[cards.md] Cards");
            assertThat(server.lastRequest().path()).isEqualTo("/v1/embeddings");
            assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("text-embedding-3-small");

            // The bundled model may not search vectors another model made.
            Result mixed = run(Map.of(), "knowledge", "search", "faq", "lost", "card");
            assertThat(mixed.code()).isEqualTo(1);
            assertThat(mixed.err())
                    .contains("openai/text-embedding-3-small (24 dimensions)")
                    .contains("guildhall knowledge rebuild faq");
        }
    }

    @Test
    void a_bad_embeddings_spec_is_one_line_and_exit_1() {
        Result r = run(Map.of(), "knowledge", "--embeddings", "cohere:embed", "list");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .isEqualTo(
                        "guildhall: --embeddings must be in-process, openai:MODEL or ollama:MODEL, was \"cohere:embed\"");
    }

    @Test
    void search_works_while_another_process_holds_the_collection_open_for_writing() {
        Path dir = data.resolve("data");
        WorkspaceId workspace = WorkspaceId.of("default");
        try (KnowledgeBase writer = new KnowledgeBase(dir, Embedder.bgeSmallEnV15Quantized())) {
            writer.create(workspace, CollectionName.of("faq"))
                    .add(NewDocument.ofText(
                            DocumentId.of("cards.txt"),
                            DocumentFormat.TEXT,
                            "Freeze a lost card in the app.",
                            Map.of()));

            // The writer keeps Lucene's write lock; a search only reads the last commit.
            Result search = run(Map.of(), "knowledge", "search", "faq", "lost", "card", "--mode", "bm25");
            assertThat(search.code()).as(search.err()).isZero();
            assertThat(search.out()).contains("[cards.txt]");

            // An add in the meantime still has to wait for the writer, and says so.
            Result add = run(Map.of(), "knowledge", "delete", "faq", "cards.txt");
            assertThat(add.code()).isEqualTo(1);
            assertThat(add.err()).contains("is open in another process");
        }
    }
}
