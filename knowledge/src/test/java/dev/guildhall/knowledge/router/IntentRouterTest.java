package dev.guildhall.knowledge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.classify.Classification;
import dev.guildhall.knowledge.embed.EmbeddingModelId;
import dev.guildhall.knowledge.embed.EmbeddingService;
import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentRouterTest {
    static final InProcessEmbeddingService EMBEDDINGS = InProcessEmbeddingService.bgeSmallEnV15Quantized();

    static final List<String> UNSEEN = List.of(
            "my new card hasn't been delivered",
            "what's the conversion rate for dollars",
            "somebody took my card from my bag",
            "the money I tried to add did not arrive, top up failed",
            "what is the weather in Berlin",
            "recommend a good film to watch tonight");

    @TempDir
    Path dir;

    @Test
    void a_small_training_set_trains_and_classifies_unseen_paraphrases() {
        IntentRouter router = IntentRouter.train(Examples.fourIntents(), "oos", EMBEDDINGS);

        assertThat(router.labels())
                .containsExactly("card_arrival", "exchange_rate", "lost_or_stolen_card", "top_up_failed");
        assertThat(router.classify("my new card hasn't been delivered").label()).isEqualTo("card_arrival");
        assertThat(router.classify("what's the conversion rate for dollars").label())
                .isEqualTo("exchange_rate");
        assertThat(router.classify("somebody took my card from my bag").label()).isEqualTo("lost_or_stolen_card");
        Classification c = router.classify("my top up was declined again");
        assertThat(c.label()).isEqualTo("top_up_failed");
        assertThat(c.confidence()).isBetween(0.0, 1.0);
        assertThat(c.scores()).containsKey("top_up_failed");
        assertThat(router.report().examples()).isEqualTo(32);
        assertThat(router.report().labels()).isEqualTo(4);
    }

    @Test
    void an_out_of_scope_message_gets_none_of_these_when_out_of_scope_rows_were_given() {
        IntentRouter router = IntentRouter.train(Examples.fourIntentsAndOutOfScope(), "oos", EMBEDDINGS);

        assertThat(router.labels()).doesNotContain("oos");
        assertThat(router.report().oosExamples()).isEqualTo(8);
        assertThat(router.classify("what is the weather in Berlin").label()).isEqualTo(Classification.NONE_OF_THESE);
        assertThat(router.classify("recommend a good film to watch tonight").outOfScope())
                .isTrue();
        assertThat(router.classify("I lost my bank card on the bus").label()).isEqualTo("lost_or_stolen_card");
    }

    @Test
    void without_out_of_scope_rows_a_message_far_from_every_label_still_gets_none_of_these() {
        IntentRouter router = IntentRouter.train(Examples.fourIntents(), "oos", EMBEDDINGS);

        assertThat(router.minSimilarity()).isBetween(0.0, 1.0);
        assertThat(router.classify("what is the weather in Berlin").outOfScope())
                .isTrue();
        assertThat(router.classify("recommend a good film to watch tonight").outOfScope())
                .isTrue();
        assertThat(router.classify("I lost my bank card on the bus").label()).isEqualTo("lost_or_stolen_card");
    }

    @Test
    void the_shortcut_skips_the_embedding_only_for_messages_the_ngram_view_is_sure_of() {
        CountingEmbeddings counting = new CountingEmbeddings(EMBEDDINGS);
        IntentRouter router = IntentRouter.train(Examples.fourIntents(), "oos", counting);
        assertThat(router.shortcut()).isGreaterThanOrEqualTo(0.5);

        int before = counting.calls.get();
        // A far-away message shares no n-gram with the training rows: never confident, so it is
        // embedded and rejected by the similarity floor exactly as without the shortcut.
        assertThat(router.classifyWithShortcut("what is the weather in Berlin").outOfScope())
                .isTrue();
        assertThat(counting.calls.get()).isEqualTo(before + 1);
        for (String text : UNSEEN) {
            Classification quick = router.classifyWithShortcut(text);
            Classification full = router.classify(text);
            if (!quick.equals(full)) {
                // Only a shortcut answer may differ, and it is the n-gram view's confident label.
                assertThat(quick.confidence()).as(text).isGreaterThanOrEqualTo(router.shortcut());
            }
        }
    }

    @Test
    void saving_and_loading_gives_identical_predictions() {
        IntentRouter trained = IntentRouter.train(Examples.fourIntentsAndOutOfScope(), "oos", EMBEDDINGS);
        Path file = dir.resolve("models/router.bin");

        trained.save(file);
        IntentRouter loaded = IntentRouter.load(file, EMBEDDINGS);

        assertThat(loaded.labels()).isEqualTo(trained.labels());
        assertThat(loaded.threshold()).isEqualTo(trained.threshold());
        assertThat(loaded.minSimilarity()).isEqualTo(trained.minSimilarity());
        assertThat(loaded.shortcut()).isEqualTo(trained.shortcut());
        assertThat(loaded.report()).isEqualTo(trained.report());
        for (String text : UNSEEN) {
            assertThat(loaded.classify(text)).as(text).isEqualTo(trained.classify(text));
            assertThat(loaded.classifyWithShortcut(text)).as(text).isEqualTo(trained.classifyWithShortcut(text));
        }
    }

    @Test
    void training_needs_two_labels_besides_the_out_of_scope_one() {
        List<LabelledExample> one = List.of(
                new LabelledExample("where is my card", "card_arrival"),
                new LabelledExample("card not here", "card_arrival"),
                new LabelledExample("tell me a joke", "oos"));

        assertThatThrownBy(() -> IntentRouter.train(one, "oos", EMBEDDINGS))
                .isInstanceOf(RouterDataException.class)
                .hasMessage("training needs at least two labels besides \"oos\", found only \"card_arrival\"");
    }

    @Test
    void loading_refuses_a_router_trained_with_another_embedding_model() {
        IntentRouter trained = IntentRouter.train(Examples.fourIntents(), "oos", EMBEDDINGS);
        Path file = dir.resolve("router.bin");
        trained.save(file);
        EmbeddingService other = new EmbeddingService() {
            @Override
            public EmbeddingModelId modelId() {
                return new EmbeddingModelId("other-model", 384);
            }

            @Override
            public float[] embed(String text) {
                return EMBEDDINGS.embed(text);
            }

            @Override
            public List<float[]> embedAll(List<String> texts) {
                return EMBEDDINGS.embedAll(texts);
            }
        };

        assertThatThrownBy(() -> IntentRouter.load(file, other))
                .isInstanceOf(RouterDataException.class)
                .hasMessageContaining("trained with embeddings bge-small-en-v1.5-q/384")
                .hasMessageContaining("other-model/384");
    }

    @Test
    void loading_refuses_a_file_that_is_not_a_router() throws IOException {
        Path file = Files.writeString(dir.resolve("router.bin"), "text,label\n");

        assertThatThrownBy(() -> IntentRouter.load(file, EMBEDDINGS))
                .isInstanceOf(RouterDataException.class)
                .hasMessage(file + ": not a Guildhall router file");
    }

    /** Counts single-text embeddings, to see which classifications embedded their message. */
    private static final class CountingEmbeddings implements EmbeddingService {
        private final EmbeddingService delegate;
        private final AtomicInteger calls = new AtomicInteger();

        CountingEmbeddings(EmbeddingService delegate) {
            this.delegate = delegate;
        }

        @Override
        public EmbeddingModelId modelId() {
            return delegate.modelId();
        }

        @Override
        public float[] embed(String text) {
            calls.incrementAndGet();
            return delegate.embed(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return delegate.embedAll(texts);
        }
    }
}
