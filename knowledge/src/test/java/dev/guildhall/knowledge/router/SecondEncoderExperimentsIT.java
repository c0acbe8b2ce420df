package dev.guildhall.knowledge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurements behind the encoder question of {@code docs/ROUTER.md}: does the unquantized
 * bge-small-en-v1.5 beat, or add to, the quantized one the router ships with? Views (a softmax
 * regression and a k-NN vote per encoder, and the n-gram regression) are mixed with fixed weights
 * on three seeded 80/20 splits of Banking77. (The all-MiniLM-L6-v2-q run of the same harness is in
 * the docs; {@link InProcessEmbeddingService#allMiniLmL6V2Quantized} adds it back.) Not part of the
 * default run; run it with
 *
 * <pre>mvn -B -q -pl knowledge -am test -Dtest=SecondEncoderExperimentsIT -Drouter.experiments=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * and read the table in {@code knowledge/target/router-second-encoder.md}.
 */
class SecondEncoderExperimentsIT {
    private static final Logger LOG = LoggerFactory.getLogger(SecondEncoderExperimentsIT.class);
    private static final long[] SEEDS = {1, 2, 3};

    /** View indices: the n-gram regression, then per encoder its regression and its k-NN. */
    private static final int NGRAM = 0;

    private static int reg(int encoder) {
        return 1 + 2 * encoder;
    }

    private static int knn(int encoder) {
        return 2 + 2 * encoder;
    }

    @Test
    void measure_encoders_on_banking77() throws IOException {
        assumeTrue(Boolean.getBoolean("router.experiments"), "experiments only with -Drouter.experiments=true");
        List<LabelledExample> rows = Banking77RouterIT.banking77();
        List<String> texts = rows.stream().map(LabelledExample::text).toList();
        List<InProcessEmbeddingService> encoders = List.of(
                InProcessEmbeddingService.bgeSmallEnV15Quantized(20_000),
                InProcessEmbeddingService.bgeSmallEnV15(20_000));
        StringBuilder timing = new StringBuilder();
        for (InProcessEmbeddingService e : encoders) {
            long start = System.nanoTime();
            e.embedAll(texts);
            long ms = (System.nanoTime() - start) / 1_000_000;
            long one = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                e.embed("single message latency probe number " + i);
            }
            double perMessage = (System.nanoTime() - one) / 1e6 / 200;
            timing.append(String.format(
                    Locale.ROOT,
                    "- %s: %d rows in %d ms; one message %.2f ms (mean of 200)%n",
                    e.modelId().name(),
                    rows.size(),
                    ms,
                    perMessage));
        }
        LOG.info("embedding:\n{}", timing);

        Map<String, double[]> results = new LinkedHashMap<>();
        for (int s = 0; s < SEEDS.length; s++) {
            List<List<LabelledExample>> parts = Banking77RouterIT.split(rows, 0, 0, SEEDS[s]);
            for (Map.Entry<String, Double> r :
                    runAll(parts.get(0), parts.get(1), encoders).entrySet()) {
                results.computeIfAbsent(r.getKey(), k -> new double[SEEDS.length])[s] = r.getValue();
            }
            LOG.info("seed {} done: {}", SEEDS[s], results.keySet());
        }
        StringBuilder table = new StringBuilder(timing)
                .append("\n| method | seed 1 | seed 2 | seed 3 | mean |\n| --- | --- | --- | --- | --- |\n");
        results.forEach((method, acc) -> table.append(String.format(
                Locale.ROOT,
                "| %s | %.4f | %.4f | %.4f | %.4f |%n",
                method,
                acc[0],
                acc[1],
                acc[2],
                Arrays.stream(acc).average().orElse(0))));
        Files.writeString(Path.of("target/router-second-encoder.md"), table.toString());
        LOG.info("Encoder experiments (accuracy on the 20 % held out):\n{}", table);
        assertThat(results).isNotEmpty();
    }

    private static Map<String, Double> runAll(
            List<LabelledExample> train, List<LabelledExample> test, List<InProcessEmbeddingService> encoders) {
        List<String> labels = new ArrayList<>(
                new TreeSet<>(train.stream().map(LabelledExample::label).toList()));
        int[] y = train.stream().mapToInt(e -> labels.indexOf(e.label())).toArray();
        int[] yTest = test.stream().mapToInt(e -> labels.indexOf(e.label())).toArray();
        int classes = labels.size();
        List<String> trainTexts = train.stream().map(LabelledExample::text).toList();
        List<String> testTexts = test.stream().map(LabelledExample::text).toList();
        SoftmaxRegression.Settings settings = new SoftmaxRegression.Settings(15, 32, 0.01, 0.0, 42);
        double[][][] p = new double[1 + 2 * encoders.size()][][];
        NgramFeatures ngrams = NgramFeatures.fit(trainTexts, 2);
        p[NGRAM] = probabilities(
                SoftmaxRegression.train(
                        trainTexts.stream().map(ngrams::transform).toList(), y, ngrams.dimension(), classes, settings),
                testTexts.stream().map(ngrams::transform).toList());
        for (int e = 0; e < encoders.size(); e++) {
            InProcessEmbeddingService encoder = encoders.get(e);
            List<float[]> eTrain = encoder.embedAll(trainTexts);
            List<float[]> eTest = encoder.embedAll(testTexts);
            p[reg(e)] = probabilities(
                    SoftmaxRegression.train(
                            eTrain.stream().map(x -> SparseVector.dense(x, 1f)).toList(),
                            y,
                            encoder.modelId().dimension(),
                            classes,
                            settings),
                    eTest.stream().map(x -> SparseVector.dense(x, 1f)).toList());
            p[knn(e)] = knn(eTrain, y, eTest, 10, classes);
        }
        Map<String, Double> acc = new LinkedHashMap<>();
        acc.put("n-gram regression alone", accuracy(p[NGRAM], yTest));
        for (int e = 0; e < encoders.size(); e++) {
            String name = encoders.get(e).modelId().name();
            acc.put(name + ": regression alone", accuracy(p[reg(e)], yTest));
            acc.put(name + ": k-NN alone", accuracy(p[knn(e)], yTest));
            acc.put(
                    name + ": 0.4 regression + 0.3 n-gram + 0.3 k-NN (the shipped mixture)",
                    accuracy(mix(p, Map.of(reg(e), 0.4, NGRAM, 0.3, knn(e), 0.3)), yTest));
        }
        acc.put(
                "bge-small-q + bge-small fp32: 0.2 + 0.2 regressions, 0.3 n-gram, 0.15 + 0.15 k-NN",
                accuracy(mix(p, Map.of(reg(0), 0.2, reg(1), 0.2, NGRAM, 0.3, knn(0), 0.15, knn(1), 0.15)), yTest));
        LOG.info("accuracies: {}", acc);
        return acc;
    }

    private static double[][] probabilities(SoftmaxRegression model, List<SparseVector> xs) {
        double[][] p = new double[xs.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = SoftmaxRegression.softmax(model.logits(xs.get(i)), 1.0);
        }
        return p;
    }

    private static double[][] knn(List<float[]> train, int[] y, List<float[]> test, int k, int classes) {
        double[][] p = new double[test.size()][classes];
        for (int i = 0; i < test.size(); i++) {
            float[] q = test.get(i);
            double[] sims = new double[train.size()];
            for (int j = 0; j < sims.length; j++) {
                float[] v = train.get(j);
                double d = 0;
                for (int x = 0; x < q.length; x++) {
                    d += q[x] * v[x];
                }
                sims[j] = d;
            }
            Integer[] order = new Integer[sims.length];
            Arrays.setAll(order, j -> j);
            Arrays.sort(order, (a, b) -> Double.compare(sims[b], sims[a]));
            double total = 0;
            for (int j = 0; j < k; j++) {
                double w = Math.exp((sims[order[j]] - sims[order[0]]) * 20);
                p[i][y[order[j]]] += w;
                total += w;
            }
            for (int c = 0; c < classes; c++) {
                p[i][c] /= total;
            }
        }
        return p;
    }

    private static double[][] mix(double[][][] views, Map<Integer, Double> weights) {
        double[][] p = new double[views[NGRAM].length][views[NGRAM][0].length];
        weights.forEach((v, w) -> {
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p[i].length; j++) {
                    p[i][j] += w * views[v][i][j];
                }
            }
        });
        return p;
    }

    private static double accuracy(double[][] p, int[] y) {
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            if (IntentRouter.argmax(p[i]) == y[i]) {
                right++;
            }
        }
        return right / (double) y.length;
    }
}
