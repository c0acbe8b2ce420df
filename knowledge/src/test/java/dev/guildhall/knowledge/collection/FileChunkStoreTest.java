package dev.guildhall.knowledge.collection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.knowledge.ingest.DocumentFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChunkStoreTest {
    @TempDir
    Path dir;

    static StoredDocument aDocument(String id, long revision, String text) {
        DocumentId docId = DocumentId.of(id);
        return new StoredDocument(
                docId,
                revision,
                "Title",
                "src/" + id,
                DocumentFormat.MARKDOWN,
                Map.of("team", "cards"),
                List.of(
                        new Chunk(docId, 0, "Title", "src/" + id, List.of("A", "B"), 0, text, Map.of()),
                        new Chunk(docId, 1, "Title", "src/" + id, List.of(), 3, "second", Map.of())),
                "model-x",
                3,
                List.of(new float[] {0.1f, -0.2f, 0.97f}, new float[] {1f, 0f, Float.MIN_VALUE}));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a_document_reads_back_exactly_with_its_vectors_and_chunk_metadata() {
        FileChunkStore store = new FileChunkStore(dir);
        store.put(aDocument("cards.md", 7, "Freeze the card."));

        StoredDocument read =
                new FileChunkStore(dir).find(DocumentId.of("cards.md")).orElseThrow();

        assertThat(read.revision()).isEqualTo(7);
        assertThat(read.model()).isEqualTo("model-x");
        assertThat(read.vectors().get(0)).containsExactly(0.1f, -0.2f, 0.97f);
        assertThat(read.vectors().get(1)).containsExactly(1f, 0f, Float.MIN_VALUE);
        assertThat(read.chunks().get(0).headingPath()).containsExactly("A", "B");
        assertThat(read.chunks().get(1).page()).isEqualTo(3);
        assertThat(read.chunks().get(0).metadata())
                .containsEntry("team", "cards")
                .containsEntry("source", "src/cards.md")
                .containsEntry("format", "markdown");
    }

    @Test
    void replacing_keeps_only_the_newest_revision_on_disk() throws IOException {
        FileChunkStore store = new FileChunkStore(dir);
        store.put(aDocument("a", 1, "old"));
        store.put(aDocument("a", 2, "new"));

        assertThat(files()).containsExactly("a.2.json");
        assertThat(store.find(DocumentId.of("a")).orElseThrow().chunks().get(0).text())
                .isEqualTo("new");
    }

    @Test
    void after_a_crash_mid_write_the_higher_revision_wins_and_leftovers_are_removed() throws IOException {
        FileChunkStore store = new FileChunkStore(dir);
        store.put(aDocument("a", 1, "old"));
        // A crash after the new file was renamed into place but before the old one was removed,
        // and another before a temporary file was renamed.
        Files.writeString(dir.resolve("a.5.json"), FileChunkStore.write(aDocument("a", 5, "new")));
        Files.writeString(dir.resolve(".tmp-b.6"), "{half a file");

        FileChunkStore reopened = new FileChunkStore(dir);

        assertThat(reopened.revisions()).containsExactly(Map.entry(DocumentId.of("a"), 5L));
        assertThat(files()).containsExactly("a.5.json");
        assertThat(reopened.find(DocumentId.of("a"))
                        .orElseThrow()
                        .chunks()
                        .get(0)
                        .text())
                .isEqualTo("new");
    }

    @Test
    void ids_with_any_characters_become_safe_file_names_and_come_back_unchanged() throws IOException {
        FileChunkStore store = new FileChunkStore(dir);
        List<String> ids = List.of("../../etc/passwd", "a.b.c", "Ünïcödé ✓", "x".repeat(120), "ü".repeat(100));
        for (String id : ids) {
            store.put(aDocument(id, 1, id));
        }

        assertThat(files()).allSatisfy(f -> assertThat(f).doesNotContain("/").hasSizeLessThan(200));
        assertThat(new FileChunkStore(dir).revisions().keySet())
                .extracting(DocumentId::value)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(Files.exists(dir.getParent().resolve("etc"))).isFalse();
    }

    @Test
    void deleting_removes_the_file_and_reports_whether_it_was_there() throws IOException {
        FileChunkStore store = new FileChunkStore(dir);
        store.put(aDocument("a", 1, "x"));

        assertThat(store.delete(DocumentId.of("a"))).isTrue();
        assertThat(store.delete(DocumentId.of("a"))).isFalse();
        assertThat(files()).isEmpty();
        assertThat(store.find(DocumentId.of("a"))).isEmpty();
    }
}
