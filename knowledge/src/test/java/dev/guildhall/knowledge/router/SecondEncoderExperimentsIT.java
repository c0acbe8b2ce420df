package dev.guildhall.knowledge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurements behind the second-encoder question of {@code docs/ROUTER.md}: does a second
 * in-process sentence encoder (all-MiniLM-L6-v2, quantized, mean pooling) add a useful view to
 * bge-small's, and do mixture weights chosen on held-out rows of the training split beat fixed
 * ones? Three seeded 80/20 splits of Banking77. Not part of the default run; run it with
 *
 * <pre>mvn -B -q -pl knowledge -am test -Dtest=SecondEncoderExperimentsIT -Drouter.experiments=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * and read the table in {@code knowledge/target/router-second-encoder.md}.
 */
class SecondEncoderExperimentsIT {
    private static final Logger LOG = LoggerFactory.getLogger(SecondEncoderExperimentsIT.class);
    private static final long[] SEEDS = {1, 2, 3};
    private static final String[] VIEWS = {"bge reg", "n-gram reg", "bge k-NN", "minilm reg", "minilm k-NN"};

    @Test
    void measure_a_second_encoder_on_banking77() throws IOException {
        assumeTrue(Boolean.getBoolean("router.experiments"), "experiments only with -Drouter.experiments=true");
        List<LabelledExample> rows = Banking77RouterIT.banking77();
        List<String> texts = rows.stream().map(LabelledExample::text).toList();
        InProcessEmbeddingService bge = InProcessEmbeddingService.bgeSmallEnV15Quantized(20_000);
        InProcessEmbeddingService minilm = InProcessEmbeddingService.allMiniLmL6V2Quantized(20_000);
        long start = System.nanoTime();
        bge.embedAll(texts);
        long bgeMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        minilm.embedAll(texts);
        long minilmMs = (System.nanoTime() - start) / 1_000_000;
        LOG.info("embedded {} rows: bge-small-q {} ms, all-minilm-q {} ms", rows.size(), bgeMs, minilmMs);

        Map<String, double[]> results = new LinkedHashMap<>();
        for (int s = 0; s < SEEDS.length; s++) {
            List<List<LabelledExample>> parts = Banking77RouterIT.split(rows, 0, 0, SEEDS[s]);
            for (Map.Entry<String, Double> r :
                    runAll(parts.get(0), parts.get(1), bge, minilm).entrySet()) {
                results.computeIfAbsent(r.getKey(), k -> new double[SEEDS.length])[s] = r.getValue();
            }
        }
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "embedding %d rows: bge-small-q %d ms, all-minilm-q %d ms%n%n"
                        + "| method | seed 1 | seed 2 | seed 3 | mean |%n| --- | --- | --- | --- | --- |%n",
                rows.size(),
                bgeMs,
                minilmMs));
        results.forEach((method, acc) -> table.append(String.format(
                Locale.ROOT,
                "| %s | %.4f | %.4f | %.4f | %.4f |%n",
                method,
                acc[0],
                acc[1],
                acc[2],
                Arrays.stream(acc).average().orElse(0))));
        Files.writeString(Path.of("target/router-second-encoder.md"), table.toString());
        LOG.info("Second-encoder experiments (accuracy on the 20 % held out):\n{}", table);
        assertThat(results).isNotEmpty();
    }

    /** Per-view probabilities of {@code test} rows from views trained on {@code train} rows. */
    private static double[][][] views(
            List<LabelledExample> train,
            List<LabelledExample> test,
            List<String> labels,
            InProcessEmbeddingService bge,
            InProcessEmbeddingService minilm) {
        int[] y = train.stream().mapToInt(e -> labels.indexOf(e.label())).toArray();
        int classes = labels.size();
        List<String> trainTexts = train.stream().map(LabelledExample::text).toList();
        List<String> testTexts = test.stream().map(LabelledExample::text).toList();
        SoftmaxRegression.Settings settings = new SoftmaxRegression.Settings(15, 32, 0.01, 0.0, 42);
        NgramFeatures ngrams = NgramFeatures.fit(trainTexts, 2);
        double[][] pNgram = probabilities(
                SoftmaxRegression.train(
                        trainTexts.stream().map(ngrams::transform).toList(), y, ngrams.dimension(), classes, settings),
                testTexts.stream().map(ngrams::transform).toList());
        double[][][] out = new double[5][][];
        out[1] = pNgram;
        int v = 0;
        for (InProcessEmbeddingService encoder : List.of(bge, minilm)) {
            List<float[]> eTrain = encoder.embedAll(trainTexts);
            List<float[]> eTest = encoder.embedAll(testTexts);
            double[][] pReg = probabilities(
                    SoftmaxRegression.train(
                            eTrain.stream().map(x -> SparseVector.dense(x, 1f)).toList(),
                            y,
                            encoder.modelId().dimension(),
                            classes,
                            settings),
                    eTest.stream().map(x -> SparseVector.dense(x, 1f)).toList());
            double[][] pKnn = knn(eTrain, y, eTest, 10, classes);
            out[v == 0 ? 0 : 3] = pReg;
            out[v == 0 ? 2 : 4] = pKnn;
            v++;
        }
        return out;
    }

    private static Map<String, Double> runAll(
            List<LabelledExample> train,
            List<LabelledExample> test,
            InProcessEmbeddingService bge,
            InProcessEmbeddingService minilm) {
        List<String> labels = new ArrayList<>(
                new TreeSet<>(train.stream().map(LabelledExample::label).toList()));
        int[] yTest = test.stream().mapToInt(e -> labels.indexOf(e.label())).toArray();
        double[][][] p = views(train, test, labels, bge, minilm);
        Map<String, Double> acc = new LinkedHashMap<>();
        for (int v = 0; v < VIEWS.length; v++) {
            acc.put("view alone: " + VIEWS[v], accuracy(p[v], yTest));
        }
        acc.put(
                "shipped mixture: 0.4 bge reg + 0.3 n-gram + 0.3 bge k-NN",
                accuracy(mix(p, 0.4, 0.3, 0.3, 0, 0), yTest));
        acc.put("minilm instead of bge: 0.4 reg + 0.3 n-gram + 0.3 k-NN", accuracy(mix(p, 0, 0.3, 0, 0.4, 0.3), yTest));
        acc.put("five views, equal weights", accuracy(mix(p, 0.2, 0.2, 0.2, 0.2, 0.2), yTest));
        acc.put(
                "five views: 0.25 bge reg + 0.25 n-gram + 0.2 bge k-NN + 0.15 minilm reg + 0.15 minilm k-NN",
                accuracy(mix(p, 0.25, 0.25, 0.2, 0.15, 0.15), yTest));
        acc.put(
                "four views: 0.3 bge reg + 0.25 n-gram + 0.25 bge k-NN + 0.2 minilm reg",
                accuracy(mix(p, 0.3, 0.25, 0.25, 0.2, 0), yTest));

        // Weights chosen on a 15 % held out of the training split (views trained on the other 85 %),
        // then applied to views trained on the whole training split: no look at the test rows.
        List<List<LabelledExample>> inner = holdOut(train, 0.15, 99);
        List<String> innerLabels = labels;
        int[] yInner = inner.get(1).stream()
                .mapToInt(e -> innerLabels.indexOf(e.label()))
                .toArray();
        double[][][] pInner = views(inner.get(0), inner.get(1), labels, bge, minilm);
        double[] threeViews = bestWeights(pInner, yInner, new boolean[] {true, true, true, false, false});
        double[] fiveViews = bestWeights(pInner, yInner, new boolean[] {true, true, true, true, true});
        acc.put(
                "three bge views, weights chosen on held-out training rows " + Arrays.toString(threeViews),
                accuracy(mix(p, threeViews), yTest));
        acc.put(
                "five views, weights chosen on held-out training rows " + Arrays.toString(fiveViews),
                accuracy(mix(p, fiveViews), yTest));
        LOG.info("accuracies: {}", acc);
        return acc;
    }

    /** Grid search (steps of 0.1, weights summing to 1) over the enabled views. */
    private static double[] bestWeights(double[][][] p, int[] y, boolean[] enabled) {
        double[] best = null;
        double bestAcc = -1;
        int steps = 10;
        int[] w = new int[5];
        for (w[0] = 0; w[0] <= steps; w[0]++) {
            for (w[1] = 0; w[0] + w[1] <= steps; w[1]++) {
                for (w[2] = 0; w[0] + w[1] + w[2] <= steps; w[2]++) {
                    for (w[3] = 0; w[0] + w[1] + w[2] + w[3] <= steps; w[3]++) {
                        w[4] = steps - w[0] - w[1] - w[2] - w[3];
                        boolean ok = true;
                        for (int v = 0; v < 5; v++) {
                            ok &= enabled[v] || w[v] == 0;
                        }
                        if (!ok) {
                            continue;
                        }
                        double[] weights = Arrays.stream(w)
                                .mapToDouble(x -> x / (double) steps)
                                .toArray();
                        double a = accuracy(mix(p, weights), y);
                        if (a > bestAcc) {
                            bestAcc = a;
                            best = weights;
                        }
                    }
                }
            }
        }
        return best;
    }

    private static List<List<LabelledExample>> holdOut(List<LabelledExample> rows, double fraction, long seed) {
        Map<String, List<LabelledExample>> byLabel = new java.util.TreeMap<>();
        rows.forEach(
                r -> byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r));
        Random random = new Random(seed);
        List<LabelledExample> fit = new ArrayList<>();
        List<LabelledExample> held = new ArrayList<>();
        for (List<LabelledExample> group : byLabel.values()) {
            List<LabelledExample> g = new ArrayList<>(group);
            Collections.shuffle(g, random);
            int h = (int) Math.round(g.size() * fraction);
            held.addAll(g.subList(0, h));
            fit.addAll(g.subList(h, g.size()));
        }
        return List.of(fit, held);
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

    private static double[][] mix(double[][][] views, double... weights) {
        double[][] p = new double[views[0].length][views[0][0].length];
        for (int v = 0; v < views.length; v++) {
            if (weights[v] == 0) {
                continue;
            }
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p[i].length; j++) {
                    p[i][j] += weights[v] * views[v][i][j];
                }
            }
        }
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
