package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Indexing throughput and search latency of one collection at a given size, on synthetic chunks.
 *
 * <p>Embedding 100,000 chunks with the real model would take most of an hour on two cores and would
 * measure ONNX, not the index, so the index is filled with random unit vectors of the real model's
 * dimension (384) under a model named {@value #RANDOM_MODEL}, and the real model's throughput
 * (chunks/s) and query latency are measured separately on a sample. Text is drawn from a Zipf-like
 * vocabulary so BM25 sees realistic posting lists. Indexing goes through the normal write path
 * (chunk files written and forced to disk, then the Lucene commit) in batches; search latency is
 * measured per query after a warm-up, with the query vector given (its embedding time is the
 * separate query-embedding figure). Not part of the test run: {@code guildhall knowledge bench}.
 */
public final class IndexBenchmark {
    public static final String RANDOM_MODEL = "random-unit";

    private IndexBenchmark() {}

    /** What to measure. */
    public record Options(
            int chunks, int chunksPerDocument, int documentsPerCommit, int queries, int k, int embedSample, long seed) {
        public Options {
            Checks.positive(chunks, "chunks");
            Checks.positive(chunksPerDocument, "chunksPerDocument");
            Checks.positive(documentsPerCommit, "documentsPerCommit");
            Checks.positive(queries, "queries");
            Checks.positive(k, "k");
            Checks.notNegative(embedSample, "embedSample");
        }

        public static Options defaults() {
            return new Options(100_000, 10, 500, 1_000, 10, 256, 42);
        }
    }

    /** The figures; latencies in milliseconds. */
    public record Result(
            int chunks,
            double indexSeconds,
            double chunksPerSecond,
            double reopenSeconds,
            Map<SearchMode, double[]> latencyP50P99,
            double embedChunksPerSecond,
            double queryEmbedP50,
            double queryEmbedP99) {

        public String line() {
            StringBuilder sb = new StringBuilder();
            sb.append("chunks=").append(chunks);
            sb.append(fmt(" index_chunks_per_s=%.0f", chunksPerSecond));
            for (SearchMode m : SearchMode.values()) {
                double[] l = latencyP50P99.get(m);
                sb.append(fmt(" %s_p50_ms=%.2f %s_p99_ms=%.2f", m.label(), l[0], m.label(), l[1]));
            }
            if (embedChunksPerSecond > 0) {
                sb.append(fmt(" embed_chunks_per_s=%.1f", embedChunksPerSecond));
                sb.append(fmt(" query_embed_p50_ms=%.2f query_embed_p99_ms=%.2f", queryEmbedP50, queryEmbedP99));
            }
            return sb.toString();
        }
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /**
     * Runs the benchmark in {@code dir} (which should be empty) and prints progress to {@code out}.
     *
     * @param real the real embedder whose throughput is measured on a sample; null to skip that part
     */
    public static Result run(Path dir, Options o, @Nullable Embedder real, PrintWriter out) {
        SplittableRandom random = new SplittableRandom(o.seed());
        Vocabulary vocabulary = new Vocabulary(5_000, random.split());
        Embedder randomVectors = new Embedder(new RandomUnitModel(384), RANDOM_MODEL, 384, "");
        WorkspaceId ws = WorkspaceId.of("bench");
        CollectionName name = CollectionName.of("bench");
        int documents = (o.chunks() + o.chunksPerDocument() - 1) / o.chunksPerDocument();
        SplittableRandom vectorRandom = random.split();
        double indexSeconds;
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        KnowledgeBase writing = new KnowledgeBase(dir, randomVectors);
        try {
            KnowledgeCollection c = writing.create(ws, name);
            int made = 0;
            List<StoredDocument> batch = new ArrayList<>();
            for (int d = 0; d < documents; d++) {
                DocumentId id = DocumentId.of("doc-" + d);
                int n = Math.min(o.chunksPerDocument(), o.chunks() - made);
                List<Chunk> chunks = new ArrayList<>(n);
                List<float[]> vectors = new ArrayList<>(n);
                Map<String, String> meta =
                        Map.of("source", "synthetic/" + d, "format", "text", "shard", "s" + (d % 10));
                for (int i = 0; i < n; i++) {
                    chunks.add(new Chunk(
                            id,
                            i,
                            "Document " + d,
                            "synthetic/" + d,
                            List.of("Section " + (i / 3)),
                            0,
                            vocabulary.text(120),
                            meta));
                    vectors.add(RandomUnitModel.unitVector(384, vectorRandom));
                }
                made += n;
                batch.add(new StoredDocument(
                        id,
                        0,
                        "Document " + d,
                        "synthetic/" + d,
                        DocumentFormat.TEXT,
                        Map.of("shard", "s" + (d % 10)),
                        chunks,
                        RANDOM_MODEL,
                        384,
                        vectors));
                if (batch.size() == o.documentsPerCommit() || d == documents - 1) {
                    c.addPrepared(batch);
                    batch.clear();
                    if (made % 10_000 < o.documentsPerCommit() * o.chunksPerDocument()) {
                        out.printf(
                                Locale.ROOT,
                                "  indexed %,d chunks (%.0f chunks/s so far)%n",
                                made,
                                made / seconds(start));
                        out.flush();
                    }
                }
            }
            double addSeconds = seconds(start);
            long closing = System.nanoTime();
            writing.close();
            double closeSeconds = seconds(closing);
            indexSeconds = seconds(start);
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "indexed %,d chunks in %,d documents in %.1f s: %.0f chunks/s (adds %.1f s, then %.1f s closing"
                            + " while background merges finish; chunk files + Lucene, %d documents per commit);"
                            + " %.1f s of CPU, %.0f chunks per CPU-second%n",
                    o.chunks(),
                    documents,
                    indexSeconds,
                    o.chunks() / indexSeconds,
                    addSeconds,
                    closeSeconds,
                    o.documentsPerCommit(),
                    cpuSeconds,
                    cpuSeconds > 0 ? o.chunks() / cpuSeconds : Double.NaN);
            out.flush();
        } finally {
            writing.close();
        }
        Result partial;
        try (KnowledgeBase kb = new KnowledgeBase(dir, randomVectors)) {
            long reopenStart = System.nanoTime();
            KnowledgeCollection c = kb.get(ws, name);
            double reopen = seconds(reopenStart);
            out.printf(
                    Locale.ROOT,
                    "reopened in %.2f s (chunk store compared with the index: %s)%n",
                    reopen,
                    c.openedWith());
            Map<SearchMode, double[]> latencies = new java.util.EnumMap<>(SearchMode.class);
            SplittableRandom queryRandom = random.split();
            int warmup = Math.max(50, o.queries() / 5);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            boolean cpuTimed = threads.isCurrentThreadCpuTimeSupported();
            for (SearchMode mode : SearchMode.values()) {
                double[] ms = new double[o.queries()];
                double[] cpuMs = new double[o.queries()];
                for (int q = -warmup; q < o.queries(); q++) {
                    SearchRequest request = SearchRequest.of(vocabulary.query(queryRandom), o.k(), mode);
                    float[] vector = RandomUnitModel.unitVector(384, queryRandom);
                    long cpu = cpuTimed ? threads.getCurrentThreadCpuTime() : 0;
                    long t = System.nanoTime();
                    List<SearchHit> hits = c.search(request, vector);
                    if (q >= 0) {
                        ms[q] = (System.nanoTime() - t) / 1e6;
                        cpuMs[q] = cpuTimed ? (threads.getCurrentThreadCpuTime() - cpu) / 1e6 : 0;
                    }
                    if (hits.isEmpty() && mode != SearchMode.BM25) {
                        throw new IllegalStateException("no hits for " + request);
                    }
                }
                Arrays.sort(ms);
                Arrays.sort(cpuMs);
                double[] p = {percentile(ms, 50), percentile(ms, 99)};
                latencies.put(mode, p);
                out.printf(
                        Locale.ROOT,
                        "%-6s search, k=%d, %d queries: p50 %.2f ms, p99 %.2f ms (CPU time of the searching thread:"
                                + " p50 %.2f ms, p99 %.2f ms)%n",
                        mode.label(),
                        o.k(),
                        o.queries(),
                        p[0],
                        p[1],
                        percentile(cpuMs, 50),
                        percentile(cpuMs, 99));
                out.flush();
            }
            partial = new Result(o.chunks(), indexSeconds, o.chunks() / indexSeconds, reopen, latencies, 0, 0, 0);
        }
        if (real == null || o.embedSample() == 0) {
            return partial;
        }
        List<String> texts = new ArrayList<>();
        SplittableRandom english = random.split();
        for (int i = 0; i < o.embedSample(); i++) {
            texts.add(englishText(120, english));
        }
        // Loads the model and warms it up.
        real.embedPassages(texts.subList(0, Math.min(32, texts.size())));
        long embedStart = System.nanoTime();
        real.embedPassages(texts);
        double embedRate = texts.size() / seconds(embedStart);
        double[] ms = new double[100];
        SplittableRandom queryRandom = random.split();
        for (int q = -20; q < ms.length; q++) {
            String query = englishText(8, queryRandom);
            long t = System.nanoTime();
            real.embedQuery(query);
            if (q >= 0) {
                ms[q] = (System.nanoTime() - t) / 1e6;
            }
        }
        Arrays.sort(ms);
        out.printf(
                Locale.ROOT,
                "%s: embeds %.1f chunks/s (%d chunks of 120 English words, batches of %d);"
                        + " one 8-word query p50 %.2f ms, p99 %.2f ms%n",
                real,
                embedRate,
                texts.size(),
                Embedder.BATCH_SIZE,
                percentile(ms, 50),
                percentile(ms, 99));
        return new Result(
                partial.chunks(),
                partial.indexSeconds(),
                partial.chunksPerSecond(),
                partial.reopenSeconds(),
                partial.latencyP50P99(),
                embedRate,
                percentile(ms, 50),
                percentile(ms, 99));
    }

    private static final String[] ENGLISH = ("the a to of and in your you we card account is for on it can be"
                    + " payment money transfer bank fee app balance within days euros month if not pay with your at"
                    + " by this from are or will our have when an any new online cash interest loan limit time"
                    + " customer support phone number working rate each after before must more")
            .split(" ");

    /** Text made of common English words, so the tokenizer sees ordinary word pieces. */
    static String englishText(int words, SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : (i % 15 == 0 ? ". " : " ")).append(ENGLISH[random.nextInt(ENGLISH.length)]);
        }
        return sb.append('.').toString();
    }

    /** CPU time of the whole process (all threads), or 0 where the JVM does not say. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Pseudo-words with Zipf-like frequencies, so a few terms are common and most are rare. */
    static final class Vocabulary {
        private final String[] words;
        private final double[] cumulative;
        private final SplittableRandom random;

        Vocabulary(int size, SplittableRandom random) {
            this.random = random;
            words = new String[size];
            String syllables =
                    "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru"
                            + " sa se si so su ta te ti to tu va ve vi vo vu";
            String[] s = syllables.split(" ");
            for (int i = 0; i < size; i++) {
                int n = i;
                StringBuilder w = new StringBuilder();
                do {
                    w.append(s[n % s.length]);
                    n /= s.length;
                } while (n > 0);
                w.append(s[(i * 7) % s.length]);
                words[i] = w.toString();
            }
            cumulative = new double[size];
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += 1.0 / (i + 1);
                cumulative[i] = sum;
            }
            for (int i = 0; i < size; i++) {
                cumulative[i] /= sum;
            }
        }

        String word() {
            int i = Arrays.binarySearch(cumulative, random.nextDouble());
            return words[Math.min(words.length - 1, i < 0 ? -i - 1 : i)];
        }

        String text(int wordCount) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < wordCount; i++) {
                sb.append(i == 0 ? "" : (i % 15 == 0 ? ". " : " ")).append(word());
            }
            return sb.append('.').toString();
        }

        /** Three to five words, skipping the hundred most common (as stop words would be). */
        String query(SplittableRandom r) {
            int n = 3 + r.nextInt(3);
            StringBuilder sb = new StringBuilder();
            while (n > 0) {
                int i = Arrays.binarySearch(cumulative, r.nextDouble());
                i = i < 0 ? -i - 1 : i;
                if (i >= 100 && i < words.length) {
                    sb.append(sb.length() == 0 ? "" : " ").append(words[i]);
                    n--;
                }
            }
            return sb.toString();
        }
    }

    /** Random unit vectors: stands in for an embedding model when only the index is measured. */
    static final class RandomUnitModel implements EmbeddingModel {
        private final int dimension;

        RandomUnitModel(int dimension) {
            this.dimension = dimension;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream()
                    .map(s -> Embedding.from(
                            unitVector(dimension, new SplittableRandom(s.text().hashCode()))))
                    .toList());
        }

        @Override
        public int dimension() {
            return dimension;
        }

        static float[] unitVector(int dimension, SplittableRandom random) {
            float[] v = new float[dimension];
            double norm = 0;
            for (int i = 0; i < dimension; i++) {
                // The sum of two uniforms is close enough to a Gaussian for direction sampling here.
                v[i] = (float) (random.nextDouble() + random.nextDouble() - 1.0);
                norm += v[i] * v[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < dimension; i++) {
                v[i] /= norm;
            }
            return v;
        }
    }
}
