package dev.guildhall.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static String sentences(int count) {
        List<String> s = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            s.add("Sentence number " + i + " says something about fees.");
        }
        return String.join(" ", s);
    }

    @Test
    void chunks_hold_whole_sentences_within_the_size_limit() {
        List<String> chunks = new Chunker(200, 0).chunkSection(sentences(20));

        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.length()).isLessThanOrEqualTo(200);
            assertThat(c).startsWith("Sentence number ").endsWith("fees.");
        });
        assertThat(String.join(" ", chunks)).isEqualTo(sentences(20));
    }

    @Test
    void consecutive_chunks_overlap_by_their_last_sentences() {
        List<String> chunks = new Chunker(200, 60).chunkSection(sentences(20));

        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1);
            String lastSentence = previous.substring(previous.lastIndexOf("Sentence number"));
            assertThat(chunks.get(i)).startsWith(lastSentence);
        }
    }

    @Test
    void chunks_never_cross_a_heading() {
        ParsedDocument doc = new ParsedDocument(
                "t",
                List.of(
                        new Section(List.of("A"), "Short one. Short two.", 0),
                        new Section(List.of("B"), "Other topic.", 0)));

        List<ChunkText> chunks = new Chunker(1000, 200).chunk(doc);

        assertThat(chunks).extracting(ChunkText::text).containsExactly("Short one. Short two.", "Other topic.");
        assertThat(chunks).extracting(ChunkText::headingPath).containsExactly(List.of("A"), List.of("B"));
    }

    @Test
    void a_sentence_longer_than_a_chunk_is_cut_at_spaces() {
        String longSentence = "word ".repeat(100).strip() + ".";

        List<String> chunks = new Chunker(120, 0).chunkSection(longSentence);

        assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(120));
        assertThat(String.join(" ", chunks)).isEqualTo(longSentence);
    }

    @Test
    void paragraph_breaks_survive_inside_a_chunk() {
        assertThat(new Chunker(1000, 0).chunkSection("One.\n\nTwo.")).containsExactly("One.\n\nTwo.");
    }

    @Test
    void overlap_must_be_smaller_than_a_chunk() {
        assertThatThrownBy(() -> new Chunker(100, 100)).hasMessage("overlapChars must be < maxChars (100), was 100");
    }
}
