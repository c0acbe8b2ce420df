package dev.guildhall.packs.support.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.knowledge.embed.EmbeddingModelId;
import dev.guildhall.knowledge.embed.EmbeddingService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchingEmbeddingServiceTest {
    /** A deterministic "model": the vector is the text's length; it records batch sizes. */
    static class LengthModel implements EmbeddingService {
        final List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public EmbeddingModelId modelId() {
            return new EmbeddingModelId("length", 1);
        }

        @Override
        public float[] embed(String text) {
            return embedAll(List.of(text)).get(0);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            batches.add(texts.size());
            concurrent.decrementAndGet();
            return texts.stream().map(t -> new float[] {t.length()}).toList();
        }
    }

    @Test
    void concurrent_callers_each_get_their_own_vector_from_shared_batches_one_at_a_time() throws Exception {
        LengthModel model = new LengthModel();
        BatchingEmbeddingService batching = new BatchingEmbeddingService(model, 8);
        model.gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String text = "x".repeat(i + 1);
                results.add(pool.submit(() -> batching.embed(text)));
            }
            model.gate.countDown();
            for (int i = 0; i < 40; i++) {
                assertThat(results.get(i).get()[0]).isEqualTo(i + 1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(model.maxConcurrent).hasValue(1);
        assertThat(model.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40);
        assertThat(model.batches).allMatch(size -> size <= 8);
        assertThat(model.batches.size()).isLessThan(40);
    }

    @Test
    void a_failing_model_fails_every_caller_of_the_batch() {
        EmbeddingService broken = new LengthModel() {
            @Override
            public List<float[]> embedAll(List<String> texts) {
                throw new IllegalStateException("model broke");
            }
        };
        BatchingEmbeddingService batching = new BatchingEmbeddingService(broken);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> batching.embed("hi"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("model broke");
    }
}
