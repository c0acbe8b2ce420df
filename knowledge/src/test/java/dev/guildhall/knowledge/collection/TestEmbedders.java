package dev.guildhall.knowledge.collection;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.Locale;

/** The real model, loaded once per test JVM (about a second), and a tiny stand-in for "another model". */
final class TestEmbedders {
    private TestEmbedders() {}

    private static final class Bge {
        // Immutable once loaded and thread-safe; sharing it only saves loading the ONNX model per class.
        static final Embedder INSTANCE = Embedder.bgeSmallEnV15Quantized();
    }

    static Embedder bge() {
        return Bge.INSTANCE;
    }

    /** Words hashed into 64 buckets: deterministic, instant, and a different vector space from bge. */
    static Embedder hashing() {
        return new Embedder(new HashingModel(), "test-hashing", 64, "");
    }

    static final class HashingModel implements EmbeddingModel {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream().map(s -> vector(s.text())).toList());
        }

        @Override
        public int dimension() {
            return 64;
        }

        private static Embedding vector(String text) {
            float[] v = new float[64];
            for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
                if (!w.isEmpty()) {
                    v[Math.floorMod(w.hashCode(), 64)] += 1f;
                }
            }
            v[0] += 0.01f;
            return Embedding.from(v);
        }
    }
}
