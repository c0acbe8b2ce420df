package dev.guildhall.knowledge.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InProcessEmbeddingServiceTest {
    static final InProcessEmbeddingService SERVICE = InProcessEmbeddingService.bgeSmallEnV15Quantized();

    @Test
    void names_the_model_and_its_dimension() {
        assertThat(SERVICE.modelId()).isEqualTo(new EmbeddingModelId("bge-small-en-v1.5-q", 384));
        assertThat(SERVICE.embed("hello")).hasSize(384);
    }

    @Test
    void vectors_equal_langchain4js_bundled_model() {
        BgeSmallEnV15QuantizedEmbeddingModel reference = new BgeSmallEnV15QuantizedEmbeddingModel(Runnable::run);
        for (String text : List.of("My card has not arrived yet.", "How do I top up with Apple Pay?")) {
            float[] ours = SERVICE.embed(text);
            float[] theirs = reference.embed(text).content().vector();
            assertThat(dot(ours, theirs)).as(text).isCloseTo(1.0, within(1e-3));
        }
    }

    @Test
    void vectors_are_unit_length_and_similar_texts_are_closer_than_unrelated_ones() {
        float[] card = SERVICE.embed("my card still has not arrived");
        float[] paraphrase = SERVICE.embed("when will my new card be delivered?");
        float[] unrelated = SERVICE.embed("the recipe needs two eggs and some flour");

        assertThat(dot(card, card)).isCloseTo(1.0, within(1e-4));
        assertThat(dot(card, paraphrase)).isGreaterThan(dot(card, unrelated) + 0.1);
    }

    @Test
    void embed_all_keeps_input_order_with_duplicates_and_matches_single_embeds() {
        List<String> texts = List.of(
                "a short one", "a considerably longer text about exchange rates and fees", "a short one", "top up");

        List<float[]> vectors = SERVICE.embedAll(texts);

        assertThat(vectors).hasSize(4);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(dot(vectors.get(i), SERVICE.embed(texts.get(i))))
                    .as(texts.get(i))
                    .isCloseTo(1.0, within(1e-4));
        }
        assertThat(dot(vectors.get(0), vectors.get(1))).isLessThan(0.99);
    }

    @Test
    void serves_the_gateway_only_for_its_own_model() {
        assertThat(SERVICE.embed("bge-small-en-v1.5-q", List.of("x"), Duration.ofSeconds(1))
                        .vectors())
                .hasSize(1);
        assertThatThrownBy(() -> SERVICE.embed("text-embedding-3-small", List.of("x"), Duration.ofSeconds(1)))
                .hasMessageContaining("bge-small-en-v1.5-q");
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
