package dev.guildhall.knowledge.collection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search-only knowledge base beside a writing one on the same data directory, as {@code
 * guildhall knowledge search} runs beside a {@code knowledge add} in another process: the reader
 * never takes Lucene's write lock, so neither blocks the other.
 */
class ReadOnlyKnowledgeBaseTest {
    static final WorkspaceId ACME = WorkspaceId.of("acme");
    static final CollectionName FAQ = CollectionName.of("faq");

    @TempDir
    Path data;

    static NewDocument doc(String id, String text) {
        return NewDocument.ofText(DocumentId.of(id), DocumentFormat.TEXT, text, Map.of());
    }

    @Test
    void a_reader_searches_while_a_writer_holds_the_collection_and_sees_its_later_commits() {
        Embedder embedder = TestEmbedders.hashing();
        try (KnowledgeBase writer = new KnowledgeBase(data, embedder);
                KnowledgeBase reader = KnowledgeBase.readOnly(data, embedder)) {
            KnowledgeCollection faq = writer.create(ACME, FAQ);
            faq.add(doc("kiwi.txt", "Kiwis are small brown fruit from New Zealand."));

            KnowledgeCollection searching = reader.get(ACME, FAQ);
            assertThat(searching.search(SearchRequest.of("kiwis", 5, SearchMode.BM25)))
                    .extracting(h -> h.chunk().documentId().value())
                    .containsExactly("kiwi.txt");

            // The writer still holds its lock and commits again; the reader's next search sees it.
            faq.add(doc("mango.txt", "Mangos are sweet tropical fruit."));
            assertThat(searching.search(SearchRequest.of("mangos", 5, SearchMode.BM25)))
                    .extracting(h -> h.chunk().documentId().value())
                    .containsExactly("mango.txt");
            faq.delete(DocumentId.of("kiwi.txt"));
            assertThat(searching.search(SearchRequest.of("kiwis", 5, SearchMode.HYBRID)))
                    .extracting(h -> h.chunk().documentId().value())
                    .doesNotContain("kiwi.txt");
        }
    }

    @Test
    void a_reader_does_not_block_a_writer_that_opens_after_it() {
        Embedder embedder = TestEmbedders.hashing();
        try (KnowledgeBase first = new KnowledgeBase(data, embedder)) {
            first.create(ACME, FAQ).add(doc("kiwi.txt", "Kiwis are small brown fruit."));
        }
        try (KnowledgeBase reader = KnowledgeBase.readOnly(data, embedder);
                KnowledgeBase writer = new KnowledgeBase(data, embedder)) {
            assertThat(reader.get(ACME, FAQ).chunkCount()).isEqualTo(1);

            writer.get(ACME, FAQ).add(doc("mango.txt", "Mangos are sweet."));

            assertThat(reader.get(ACME, FAQ).chunkCount()).isEqualTo(2);
        }
    }

    @Test
    void a_reader_refuses_to_write() {
        Embedder embedder = TestEmbedders.hashing();
        try (KnowledgeBase writer = new KnowledgeBase(data, embedder)) {
            writer.create(ACME, FAQ);
        }
        try (KnowledgeBase reader = KnowledgeBase.readOnly(data, embedder)) {
            KnowledgeCollection faq = reader.get(ACME, FAQ);
            assertThatThrownBy(() -> faq.add(doc("kiwi.txt", "Kiwis.")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.create(ACME, CollectionName.of("other")))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(faq.documents()).isEmpty();
        }
    }

    @Test
    void deleting_a_collection_removes_it_and_a_new_one_of_that_name_starts_empty() {
        try (KnowledgeBase kb = new KnowledgeBase(data, TestEmbedders.hashing())) {
            kb.create(ACME, FAQ).add(doc("kiwi.txt", "Kiwis."));

            assertThat(kb.delete(ACME, FAQ)).isTrue();

            assertThat(kb.list(ACME)).isEmpty();
            assertThat(kb.delete(ACME, FAQ)).isFalse();
            assertThat(kb.create(ACME, FAQ).documents()).isEmpty();
        }
    }
}
