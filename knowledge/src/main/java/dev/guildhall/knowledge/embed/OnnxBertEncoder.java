package dev.guildhall.knowledge.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BERT sentence encoder run with ONNX Runtime: tokenizes, runs texts of similar length together
 * in padded batches (about twice the throughput of one text at a time on 2 cores), and pools the
 * tokens into an L2-normalised vector the way the model is meant to be pooled ({@link Pooling}).
 * Thread-safe: an ONNX session and a tokenizer may be shared by threads.
 */
final class OnnxBertEncoder {
    private static final int MAX_TOKENS = 512;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int dimension;
    private final boolean needsTokenTypes;
    private final Pooling pooling;

    /** How token vectors become one sentence vector: as the model was trained to be used. */
    enum Pooling {
        /** The {@code [CLS]} token (bge models). */
        CLS,
        /** The mean of the text's tokens (sentence-transformers models such as all-MiniLM). */
        MEAN
    }

    private OnnxBertEncoder(OrtSession session, HuggingFaceTokenizer tokenizer, int dimension, Pooling pooling) {
        this.environment = OrtEnvironment.getEnvironment();
        this.session = session;
        this.tokenizer = tokenizer;
        this.dimension = dimension;
        this.needsTokenTypes = session.getInputNames().contains("token_type_ids");
        this.pooling = pooling;
    }

    /** Loads the model and tokenizer from class path resources (they ship inside a Maven artifact). */
    static OnnxBertEncoder fromClasspath(
            String modelResource, String tokenizerResource, int dimension, Pooling pooling) {
        try (InputStream model = open(modelResource);
                InputStream tokenizerJson = open(tokenizerResource)) {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // ONNX Runtime's intra-op threads spin-wait between runs by default, burning a core each
            // while the caller does anything else (a workflow step, a database write). Under a
            // server's mixed load that CPU is taken from the work itself.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // One thread per run: splitting one short text's run over two threads without spinning
            // costs more in hand-offs than it saves (one message: 10 ms of CPU and 9.9 ms of wall
            // time on one thread, 15 ms of CPU and 11.4 ms on two). Batches of many texts run in
            // parallel instead, one run per core (embed below).
            options.setIntraOpNumThreads(1);
            OrtSession session = OrtEnvironment.getEnvironment().createSession(model.readAllBytes(), options);
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of("padding", "false", "truncation", "true", "maxLength", String.valueOf(MAX_TOKENS)));
            return new OnnxBertEncoder(session, tokenizer, dimension, pooling);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load embedding model " + modelResource, e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load embedding model " + modelResource + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = OnnxBertEncoder.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("class path resource " + resource + " not found");
        }
        return in;
    }

    /** One vector per text, in input order; texts are batched {@code batchSize} at a time. */
    List<float[]> embed(List<String> texts, int batchSize) {
        int n = texts.size();
        long[][] ids = new long[n][];
        for (int i = 0; i < n; i++) {
            Encoding encoding = tokenizer.encode(texts.get(i));
            ids[i] = encoding.getIds();
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Texts of similar length share a batch, so little of each batch is padding.
        Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
        float[][] vectors = new float[n][];
        int batches = (n + batchSize - 1) / batchSize;
        int threads = Math.min(batches, Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            for (int b = 0; b < batches; b++) {
                runBatch(ids, order, b * batchSize, Math.min(n, (b + 1) * batchSize), vectors);
            }
        } else {
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "embedding-batch");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                            runBatch(ids, order, b * batchSize, Math.min(n, (b + 1) * batchSize), vectors);
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("embedding interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return new ArrayList<>(Arrays.asList(vectors));
    }

    private void runBatch(long[][] ids, Integer[] order, int start, int end, float[][] vectors) {
        int length = 0;
        for (int p = start; p < end; p++) {
            length = Math.max(length, ids[order[p]].length);
        }
        long[][] inputIds = new long[end - start][length];
        long[][] mask = new long[end - start][length];
        for (int p = start; p < end; p++) {
            long[] tokens = ids[order[p]];
            System.arraycopy(tokens, 0, inputIds[p - start], 0, tokens.length);
            Arrays.fill(mask[p - start], 0, tokens.length, 1L);
        }
        float[][] cls = run(inputIds, mask);
        for (int p = start; p < end; p++) {
            vectors[order[p]] = cls[p - start];
        }
    }

    private float[][] run(long[][] inputIds, long[][] mask) {
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, inputIds);
                OnnxTensor attention = OnnxTensor.createTensor(environment, mask);
                OnnxTensor types =
                        OnnxTensor.createTensor(environment, new long[inputIds.length][inputIds[0].length])) {
            Map<String, OnnxTensor> inputs = needsTokenTypes
                    ? Map.of("input_ids", ids, "attention_mask", attention, "token_type_ids", types)
                    : Map.of("input_ids", ids, "attention_mask", attention);
            try (OrtSession.Result result = session.run(inputs)) {
                // last_hidden_state is [batch, tokens, hidden]; [CLS] is token 0 of each text. Reading
                // the flat buffer avoids building a Java array per token.
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] shape = hidden.getInfo().getShape();
                int tokens = (int) shape[1];
                int width = (int) shape[2];
                FloatBuffer values = hidden.getFloatBuffer();
                float[][] pooled = new float[inputIds.length][];
                for (int b = 0; b < inputIds.length; b++) {
                    float[] v = new float[dimension];
                    if (pooling == Pooling.CLS) {
                        values.get(b * tokens * width, v);
                    } else {
                        int count = 0;
                        for (int t = 0; t < tokens; t++) {
                            if (mask[b][t] == 0) {
                                continue;
                            }
                            count++;
                            int off = (b * tokens + t) * width;
                            for (int j = 0; j < dimension; j++) {
                                v[j] += values.get(off + j);
                            }
                        }
                        for (int j = 0; j < dimension; j++) {
                            v[j] /= Math.max(count, 1);
                        }
                    }
                    pooled[b] = normalize(v);
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        }
    }

    private static float[] normalize(float[] v) {
        double sum = 0;
        for (float f : v) {
            sum += f * f;
        }
        float inv = sum == 0 ? 0f : (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
