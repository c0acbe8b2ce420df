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
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The measurements behind the router's design ({@code docs/ROUTER.md}): each candidate method on
 * Banking77 80/20 stratified splits with two seeds. Not part of the default run (it takes a few
 * minutes); run it with
 *
 * <pre>mvn -B -q -pl knowledge -am test -Dtest=RouterExperimentsIT -Drouter.experiments=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * and read the table in {@code knowledge/target/router-experiments.md}.
 */
class RouterExperimentsIT {
    private static final Logger LOG = LoggerFactory.getLogger(RouterExperimentsIT.class);
    private static final long[] SEEDS = {1, 2};

    record Split(List<LabelledExample> train, List<LabelledExample> test, int[] yTrain, int[] yTest, int classes) {}

    @Test
    void measure_candidate_methods_on_banking77() throws IOException {
        assumeTrue(Boolean.getBoolean("router.experiments"), "experiments only with -Drouter.experiments=true");
        List<LabelledExample> rows = Banking77RouterIT.banking77();
        InProcessEmbeddingService embeddings = InProcessEmbeddingService.bgeSmallEnV15Quantized(20_000);
        long start = System.nanoTime();
        embeddings.embedAll(rows.stream().map(LabelledExample::text).toList());
        LOG.info("embedded {} rows in {} ms", rows.size(), (System.nanoTime() - start) / 1_000_000);

        Map<String, double[]> results = new LinkedHashMap<>();
        for (int s = 0; s < SEEDS.length; s++) {
            List<List<LabelledExample>> parts = Banking77RouterIT.split(rows, 0, 0, SEEDS[s]);
            List<String> labels = new ArrayList<>(new TreeSet<>(
                    parts.get(0).stream().map(LabelledExample::label).toList()));
            Function<List<LabelledExample>, int[]> ys = list ->
                    list.stream().mapToInt(e -> labels.indexOf(e.label())).toArray();
            Split split = new Split(
                    parts.get(0), parts.get(1), ys.apply(parts.get(0)), ys.apply(parts.get(1)), labels.size());
            for (Map.Entry<String, Double> r : runAll(split, embeddings).entrySet()) {
                results.computeIfAbsent(r.getKey(), k -> new double[SEEDS.length])[s] = r.getValue();
            }
        }
        StringBuilder table = new StringBuilder("| method | seed 1 | seed 2 | mean |\n| --- | --- | --- | --- |\n");
        results.forEach((method, acc) -> table.append(String.format(
                Locale.ROOT,
                "| %s | %.4f | %.4f | %.4f |%n",
                method,
                acc[0],
                acc[1],
                Arrays.stream(acc).average().orElse(0))));
        Path out = Path.of("target/router-experiments.md");
        Files.writeString(out, table.toString());
        LOG.info("Router experiments (accuracy on the 20 % held out):\n{}", table);
        assertThat(results).isNotEmpty();
    }

    private static Map<String, Double> runAll(Split s, InProcessEmbeddingService embeddings) {
        Map<String, Double> acc = new LinkedHashMap<>();
        List<float[]> eTrain = embeddings.embedAll(
                s.train().stream().map(LabelledExample::text).toList());
        List<float[]> eTest =
                embeddings.embedAll(s.test().stream().map(LabelledExample::text).toList());
        int dim = embeddings.modelId().dimension();
        NgramFeatures ngrams =
                NgramFeatures.fit(s.train().stream().map(LabelledExample::text).toList(), 2);
        List<SparseVector> nTrain =
                s.train().stream().map(e -> ngrams.transform(e.text())).toList();
        List<SparseVector> nTest =
                s.test().stream().map(e -> ngrams.transform(e.text())).toList();
        List<SparseVector> dTrain =
                eTrain.stream().map(v -> SparseVector.dense(v, 1f)).toList();
        List<SparseVector> dTest =
                eTest.stream().map(v -> SparseVector.dense(v, 1f)).toList();

        SoftmaxRegression.Settings base = new SoftmaxRegression.Settings(15, 32, 0.01, 0.0, 42);
        double[][] pEmb = probabilities(SoftmaxRegression.train(dTrain, s.yTrain(), dim, s.classes(), base), dTest);
        acc.put("softmax regression on bge-small CLS embedding (15 epochs, Adam 0.01)", accuracy(pEmb, s.yTest()));
        SoftmaxRegression.Settings longer = new SoftmaxRegression.Settings(30, 32, 0.03, 0.0, 42);
        acc.put(
                "same, 30 epochs, Adam 0.03",
                accuracy(
                        probabilities(SoftmaxRegression.train(dTrain, s.yTrain(), dim, s.classes(), longer), dTest),
                        s.yTest()));
        SoftmaxRegression.Settings l2 = new SoftmaxRegression.Settings(15, 32, 0.01, 1e-4, 42);
        acc.put(
                "same, L2 1e-4",
                accuracy(
                        probabilities(SoftmaxRegression.train(dTrain, s.yTrain(), dim, s.classes(), l2), dTest),
                        s.yTest()));
        double[][] pNgram = probabilities(
                SoftmaxRegression.train(nTrain, s.yTrain(), ngrams.dimension(), s.classes(), base), nTest);
        acc.put("softmax regression on TF-IDF word 1-2 + char 2-5 grams", accuracy(pNgram, s.yTest()));
        List<SparseVector> jTrain = new ArrayList<>();
        List<SparseVector> jTest = new ArrayList<>();
        for (int i = 0; i < nTrain.size(); i++) {
            jTrain.add(nTrain.get(i).append(eTrain.get(i), ngrams.dimension(), 1f));
        }
        for (int i = 0; i < nTest.size(); i++) {
            jTest.add(nTest.get(i).append(eTest.get(i), ngrams.dimension(), 1f));
        }
        acc.put(
                "one softmax regression on n-grams and embedding concatenated",
                accuracy(
                        probabilities(
                                SoftmaxRegression.train(
                                        jTrain, s.yTrain(), ngrams.dimension() + dim, s.classes(), base),
                                jTest),
                        s.yTest()));
        for (int k : new int[] {1, 10}) {
            acc.put(
                    "k-NN on embeddings, k=" + k + " (similarity-weighted vote)",
                    accuracy(knn(eTrain, s, eTest, k), s.yTest()));
        }
        double[][] pKnn = knn(eTrain, s, eTest, 10);
        acc.put(
                "average: 0.6 embedding regression + 0.4 n-gram regression",
                accuracy(mix(pEmb, 0.6, pNgram, 0.4, pKnn, 0), s.yTest()));
        acc.put(
                "average: 0.4 embedding + 0.3 n-gram + 0.3 k-NN (the router's mixture)",
                accuracy(mix(pEmb, 0.4, pNgram, 0.3, pKnn, 0.3), s.yTest()));
        acc.put(
                "average: 0.3 embedding + 0.3 n-gram + 0.4 k-NN",
                accuracy(mix(pEmb, 0.3, pNgram, 0.3, pKnn, 0.4), s.yTest()));

        IntentRouter router = IntentRouter.train(s.train(), "oos", embeddings);
        RouterEvaluation e = RouterEvaluation.evaluate(router, s.test(), "oos");
        acc.put("IntentRouter as shipped (calibrated, both none-of-these tests applied)", e.accuracy());
        acc.put("IntentRouter as shipped, best label without the threshold", e.accuracyWithoutRejection());
        LOG.info(
                "IntentRouter: trained in {} ms, threshold {}, temperature {}: {}",
                router.report().trainingMillis(),
                router.threshold(),
                router.temperature(),
                e.summaryLine());
        return acc;
    }

    private static double[][] probabilities(SoftmaxRegression model, List<SparseVector> xs) {
        double[][] p = new double[xs.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = SoftmaxRegression.softmax(model.logits(xs.get(i)), 1.0);
        }
        return p;
    }

    private static double[][] knn(List<float[]> train, Split s, List<float[]> test, int k) {
        double[][] p = new double[test.size()][s.classes()];
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
                p[i][s.yTrain()[order[j]]] += w;
                total += w;
            }
            for (int c = 0; c < s.classes(); c++) {
                p[i][c] /= total;
            }
        }
        return p;
    }

    private static double[][] mix(double[][] a, double wa, double[][] b, double wb, double[][] c, double wc) {
        double[][] p = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                p[i][j] = wa * a[i][j] + wb * b[i][j] + wc * c[i][j];
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
