package dev.guildhall.knowledge.router;

import dev.guildhall.core.Checks;
import dev.guildhall.core.classify.Classification;
import dev.guildhall.core.classify.Classifier;
import dev.guildhall.knowledge.embed.EmbeddingModelId;
import dev.guildhall.knowledge.embed.EmbeddingService;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained intent router: an ensemble of three views of a message, averaged as probabilities and
 * calibrated with one temperature (the measurements behind it are in {@code docs/ROUTER.md}):
 *
 * <ul>
 *   <li>a softmax regression on the message's sentence embedding,
 *   <li>a softmax regression on TF-IDF word 1-2-grams and character 2-5-grams,
 *   <li>a k-nearest-neighbour vote over the training messages' embeddings.
 * </ul>
 *
 * <p>It answers {@link Classification#NONE_OF_THESE} when the calibrated confidence is below a
 * threshold chosen on held-out rows during training, when the nearest training message is less
 * similar than all but 0.2 % of held-out messages' nearest (a message from another domain), or
 * when out-of-scope rows were given and the message looks most like them. Immutable and
 * thread-safe once trained or loaded.
 */
public final class IntentRouter implements Classifier {
    /** Version of the saved file layout; {@link #load} refuses other versions. */
    public static final int FORMAT_VERSION = 3;

    private static final String MAGIC = "guildhall-intent-router";
    private static final double WEIGHT_EMBEDDING = 0.4;
    private static final double WEIGHT_NGRAM = 0.3;
    private static final double WEIGHT_KNN = 0.3;
    private static final int KNN_K = 10;
    private static final int KNN_CANDIDATE_CLASSES = 8;
    private static final double KNN_SHARPNESS = 20.0;
    private static final int MIN_NGRAM_DF = 2;
    private static final int SCORES_KEPT = 5;
    private static final double LEARNING_RATE = 0.01;
    private static final int BATCH_SIZE = 32;
    /** Without out-of-scope rows, a rejected right answer counts this many times a caught wrong one. */
    private static final double REJECT_COST = 3.0;
    /**
     * Share of held-out in-scope messages allowed to fall below the similarity floor: a message
     * whose nearest training message is less similar than all but this share is out of scope.
     */
    private static final double NOVELTY_QUANTILE = 0.002;
    /**
     * The shortcut answers from the n-gram view alone only at or above this n-gram confidence,
     * whatever the held-out rows say: below it the n-gram label is not even a majority.
     */
    private static final double MIN_SHORTCUT = 0.5;
    /** Net held-out answers the shortcut may lose against the full mixture, per thousand held-out rows. */
    private static final double SHORTCUT_LOSS_PER_MILLE = 1.0;

    /** Runs the n-gram model's training beside the embedding model's; daemon threads, created on demand. */
    private static final Executor TRAINING_THREADS = command -> {
        Thread thread = new Thread(command, "router-training");
        thread.setDaemon(true);
        thread.start();
    };

    private static final Logger LOG = LoggerFactory.getLogger(IntentRouter.class);

    private final EmbeddingService embeddings;
    private final List<String> labels;
    private final boolean hasOosClass;
    private final Components components;
    private final double temperature;
    private final double threshold;
    private final double minSimilarity;
    private final double shortcut;
    private final TrainingReport report;

    /** The trained parts; {@code labels} has the out-of-scope class last when there is one. */
    private record Components(
            NgramFeatures ngrams,
            SoftmaxRegression ngramModel,
            SoftmaxRegression embeddingModel,
            float[] neighbours,
            int[] neighbourLabels,
            int dimension,
            int[][] rowsByClass) {

        static Components of(
                NgramFeatures ngrams,
                SoftmaxRegression ngramModel,
                SoftmaxRegression embeddingModel,
                float[] neighbours,
                int[] neighbourLabels,
                int dimension) {
            int classes = ngramModel.classes();
            int[] counts = new int[classes];
            for (int label : neighbourLabels) {
                counts[label]++;
            }
            int[][] rows = new int[classes][];
            for (int c = 0; c < classes; c++) {
                rows[c] = new int[counts[c]];
            }
            int[] filled = new int[classes];
            for (int row = 0; row < neighbourLabels.length; row++) {
                int label = neighbourLabels[row];
                rows[label][filled[label]++] = row;
            }
            return new Components(ngrams, ngramModel, embeddingModel, neighbours, neighbourLabels, dimension, rows);
        }
    }

    private IntentRouter(
            EmbeddingService embeddings,
            List<String> labels,
            boolean hasOosClass,
            Components components,
            double temperature,
            double threshold,
            double minSimilarity,
            double shortcut,
            TrainingReport report) {
        this.embeddings = embeddings;
        this.labels = List.copyOf(labels);
        this.hasOosClass = hasOosClass;
        this.components = components;
        this.temperature = temperature;
        this.threshold = threshold;
        this.minSimilarity = minSimilarity;
        this.shortcut = shortcut;
        this.report = report;
    }

    /** Trains with {@link TrainingOptions#defaults()} and {@code oosLabel}. */
    public static IntentRouter train(List<LabelledExample> examples, String oosLabel, EmbeddingService embeddings) {
        return train(examples, TrainingOptions.defaults().withOosLabel(oosLabel), embeddings);
    }

    /**
     * Learns the labels of {@code examples}. Rows labelled {@link TrainingOptions#oosLabel()} teach
     * rejection. A share of each label is held out first to fit the calibration and the threshold;
     * the final models are then trained on every row.
     *
     * @throws RouterDataException when there are no rows or fewer than two labels
     */
    public static IntentRouter train(
            List<LabelledExample> examples, TrainingOptions options, EmbeddingService embeddings) {
        long started = System.nanoTime();
        Checks.notNull(examples, "examples");
        TreeSet<String> inScope = new TreeSet<>();
        int oosRows = 0;
        for (LabelledExample e : examples) {
            if (e.label().equals(options.oosLabel())) {
                oosRows++;
            } else {
                inScope.add(e.label());
            }
        }
        if (inScope.size() < 2) {
            throw new RouterDataException("training needs at least two labels besides \"" + options.oosLabel()
                    + "\", found " + (inScope.isEmpty() ? "none" : "only \"" + inScope.first() + "\""));
        }
        List<String> classes = new ArrayList<>(inScope);
        boolean hasOos = oosRows > 0;
        if (hasOos) {
            classes.add(options.oosLabel());
        }
        Map<String, Integer> classIndex = new LinkedHashMap<>();
        for (String c : classes) {
            classIndex.put(c, classIndex.size());
        }
        List<String> texts = examples.stream().map(LabelledExample::text).toList();
        int[] y = examples.stream().mapToInt(e -> classIndex.get(e.label())).toArray();
        List<float[]> vectors = embeddings.embedAll(texts);
        LOG.debug(
                "Router training: embedded {} texts in {} ms", texts.size(), (System.nanoTime() - started) / 1_000_000);
        int dimension = embeddings.modelId().dimension();

        // Hold out a stratified share to fit the temperature and the threshold.
        int[][] split = stratifiedSplit(y, classes.size(), options.holdOutFraction(), options.seed());
        int[] fit = split[0];
        int[] held = split[1];
        double temperature = 1.0;
        double threshold = 0.0;
        String rule = "no held-out rows (too few examples): never reject on confidence";
        double holdOutAccuracy = Double.NaN;
        double minSimilarity = -1.0;
        double shortcut = Double.POSITIVE_INFINITY;
        double shortcutShare = 0.0;
        if (held.length > 0) {
            Components c = fitComponents(texts, y, vectors, fit, classes.size(), dimension, options);
            double[][] p = new double[held.length][];
            double[][] ngramP = new double[held.length][];
            int[] heldY = new int[held.length];
            double[] nearest = new double[held.length];
            int inScopeHeld = 0;
            for (int i = 0; i < held.length; i++) {
                Scores scores = mixture(c, texts.get(held[i]), vectors.get(held[i]), classes.size());
                p[i] = scores.p();
                ngramP[i] = ngramProbabilities(c, texts.get(held[i]));
                heldY[i] = y[held[i]];
                if (!(hasOos && heldY[i] == classes.size() - 1)) {
                    nearest[inScopeHeld++] = scores.nearest();
                }
            }
            if (inScopeHeld > 0) {
                double[] sorted = Arrays.copyOf(nearest, inScopeHeld);
                Arrays.sort(sorted);
                minSimilarity = sorted[(int) Math.floor(NOVELTY_QUANTILE * inScopeHeld)];
            }
            holdOutAccuracy = accuracy(p, heldY);
            temperature = fitTemperature(p, heldY);
            double[][] calibrated = new double[p.length][];
            for (int i = 0; i < p.length; i++) {
                calibrated[i] = calibrate(p[i], temperature);
            }
            int oosClass = hasOos ? classes.size() - 1 : -1;
            boolean heldOos = Arrays.stream(heldY).anyMatch(v -> v == oosClass);
            threshold = chooseThreshold(calibrated, heldY, oosClass, heldOos);
            shortcut = chooseShortcut(ngramP, p, heldY);
            double cut = shortcut;
            shortcutShare =
                    Arrays.stream(ngramP).filter(q -> q[argmax(q)] >= cut).count() / (double) held.length;
            rule = heldOos
                    ? "maximises held-out accuracy with out-of-scope rows counted right when rejected"
                    : "no out-of-scope rows held out: rejects where a wrong answer is " + (int) REJECT_COST
                            + "x likelier than a right one on held-out rows";
        }
        LOG.debug("Router training: held-out calibration done at {} ms", (System.nanoTime() - started) / 1_000_000);
        int[] all = new int[y.length];
        Arrays.setAll(all, i -> i);
        Components finalComponents = fitComponents(texts, y, vectors, all, classes.size(), dimension, options);
        TrainingReport report = new TrainingReport(
                examples.size(),
                inScope.size(),
                oosRows,
                holdOutAccuracy,
                temperature,
                threshold,
                rule,
                minSimilarity,
                shortcut,
                shortcutShare,
                (System.nanoTime() - started) / 1_000_000);
        return new IntentRouter(
                embeddings, classes, hasOos, finalComponents, temperature, threshold, minSimilarity, shortcut, report);
    }

    private static Components fitComponents(
            List<String> texts,
            int[] y,
            List<float[]> vectors,
            int[] rows,
            int classes,
            int dimension,
            TrainingOptions options) {
        List<String> fitTexts = new ArrayList<>(rows.length);
        int[] fitY = new int[rows.length];
        float[] neighbours = new float[rows.length * dimension];
        List<SparseVector> dense = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            fitTexts.add(texts.get(rows[i]));
            fitY[i] = y[rows[i]];
            float[] v = vectors.get(rows[i]);
            System.arraycopy(v, 0, neighbours, i * dimension, dimension);
            dense.add(SparseVector.dense(v, 1f));
        }
        SoftmaxRegression.Settings settings =
                new SoftmaxRegression.Settings(options.epochs(), BATCH_SIZE, LEARNING_RATE, 0.0, options.seed());
        // The two regressions are independent: the n-gram one trains on another thread.
        CompletableFuture<NgramFeatures> ngrams =
                CompletableFuture.supplyAsync(() -> NgramFeatures.fit(fitTexts, MIN_NGRAM_DF), TRAINING_THREADS);
        CompletableFuture<SoftmaxRegression> ngramModel = ngrams.thenApply(features -> SoftmaxRegression.train(
                fitTexts.stream().map(features::transform).toList(), fitY, features.dimension(), classes, settings));
        long start = System.nanoTime();
        SoftmaxRegression embeddingModel = SoftmaxRegression.train(dense, fitY, dimension, classes, settings);
        LOG.debug("Router training: embedding regression took {} ms", (System.nanoTime() - start) / 1_000_000);
        try {
            Components components =
                    Components.of(ngrams.join(), ngramModel.join(), embeddingModel, neighbours, fitY, dimension);
            LOG.debug("Router training: n-gram regression done after {} ms", (System.nanoTime() - start) / 1_000_000);
            return components;
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The ensemble's uncalibrated probabilities, and the similarity of the nearest training message searched. */
    private record Scores(double[] p, double nearest) {}

    private static double[] ngramProbabilities(Components c, String text) {
        return SoftmaxRegression.softmax(c.ngramModel().logits(c.ngrams().transform(text)), 1.0);
    }

    private static Scores mixture(Components c, String text, float[] vector, int classes) {
        double[] pn = ngramProbabilities(c, text);
        double[] pe = SoftmaxRegression.softmax(c.embeddingModel().logits(SparseVector.dense(vector, 1f)), 1.0);
        double[] p = new double[classes];
        for (int k = 0; k < classes; k++) {
            p[k] = WEIGHT_EMBEDDING * pe[k] + WEIGHT_NGRAM * pn[k];
        }
        Scores knn = knn(c, vector, topClasses(p, KNN_CANDIDATE_CLASSES), classes);
        for (int k = 0; k < classes; k++) {
            p[k] += WEIGHT_KNN * knn.p()[k];
        }
        return new Scores(p, knn.nearest());
    }

    private static int[] topClasses(double[] p, int m) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        int[] top = new int[Math.min(m, p.length)];
        for (int i = 0; i < top.length; i++) {
            top[i] = order[i];
        }
        return top;
    }

    /**
     * Votes of the nearest training messages, weighted by how close each is compared with the
     * nearest. Only messages of the {@code candidates} classes are searched (the regressions' best
     * few): a class outside them cannot win the mixture, and searching a tenth of the rows keeps a
     * call well under a millisecond.
     */
    private static Scores knn(Components c, float[] q, int[] candidates, int classes) {
        int d = c.dimension();
        int n = 0;
        for (int candidate : candidates) {
            n += c.rowsByClass()[candidate].length;
        }
        int k = Math.min(KNN_K, n);
        double[] p = new double[classes];
        if (k == 0) {
            Arrays.fill(p, 1.0 / classes);
            return new Scores(p, -1.0);
        }
        float[] all = c.neighbours();
        double[] bestSim = new double[k];
        int[] bestRow = new int[k];
        Arrays.fill(bestSim, Double.NEGATIVE_INFINITY);
        int d4 = d - d % 4;
        for (int candidate : candidates) {
            for (int row : c.rowsByClass()[candidate]) {
                int off = row * d;
                // Four partial sums let the CPU overlap the multiply-adds of this hot loop.
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                int j = 0;
                for (; j < d4; j += 4) {
                    s0 += q[j] * all[off + j];
                    s1 += q[j + 1] * all[off + j + 1];
                    s2 += q[j + 2] * all[off + j + 2];
                    s3 += q[j + 3] * all[off + j + 3];
                }
                for (; j < d; j++) {
                    s0 += q[j] * all[off + j];
                }
                double s = (s0 + s1) + (s2 + s3);
                if (s > bestSim[k - 1]) {
                    int pos = k - 1;
                    while (pos > 0 && bestSim[pos - 1] < s) {
                        bestSim[pos] = bestSim[pos - 1];
                        bestRow[pos] = bestRow[pos - 1];
                        pos--;
                    }
                    bestSim[pos] = s;
                    bestRow[pos] = row;
                }
            }
        }
        double smoothing = 1e-4;
        double total = classes * smoothing;
        for (int i = 0; i < k; i++) {
            double w = Math.exp((bestSim[i] - bestSim[0]) * KNN_SHARPNESS);
            p[c.neighbourLabels()[bestRow[i]]] += w;
            total += w;
        }
        for (int j = 0; j < classes; j++) {
            p[j] = (p[j] + smoothing) / total;
        }
        return new Scores(p, bestSim[0]);
    }

    /** Temperature scaling of probabilities: p^(1/T), renormalised. */
    private static double[] calibrate(double[] p, double temperature) {
        double[] q = new double[p.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            q[i] = Math.pow(Math.max(p[i], 1e-12), 1.0 / temperature);
            sum += q[i];
        }
        for (int i = 0; i < q.length; i++) {
            q[i] /= sum;
        }
        return q;
    }

    /** The temperature that minimises the held-out negative log-likelihood (golden-section search on log T). */
    private static double fitTemperature(double[][] p, int[] y) {
        double lo = Math.log(0.05);
        double hi = Math.log(5.0);
        double phi = (Math.sqrt(5) - 1) / 2;
        for (int iter = 0; iter < 40; iter++) {
            double a = hi - phi * (hi - lo);
            double b = lo + phi * (hi - lo);
            if (nll(p, y, Math.exp(a)) < nll(p, y, Math.exp(b))) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    private static double nll(double[][] p, int[] y, double temperature) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum -= Math.log(Math.max(calibrate(p[i], temperature)[y[i]], 1e-12));
        }
        return sum / p.length;
    }

    /**
     * Sweeps the held-out confidences. With out-of-scope rows it maximises the accuracy {@code
     * router eval} reports; without, it rejects only where wrong answers outnumber right ones
     * {@link #REJECT_COST} to one, because then every rejection costs a right answer.
     */
    private static double chooseThreshold(double[][] calibrated, int[] y, int oosClass, boolean heldOos) {
        int n = y.length;
        double[] confidence = new double[n];
        int[] outcome = new int[n]; // 1 = right label, 0 = wrong label, 2 = out-of-scope row
        int base = 0;
        for (int i = 0; i < n; i++) {
            int best = argmax(calibrated[i]);
            boolean rejectedByClass = best == oosClass;
            confidence[i] = rejectedByClass ? -1 : calibrated[i][best];
            outcome[i] = y[i] == oosClass ? 2 : (best == y[i] ? 1 : 0);
            if (rejectedByClass ? outcome[i] == 2 : outcome[i] == 1) {
                base++;
            }
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(confidence[a], confidence[b]));
        double bestGain = 0;
        double bestThreshold = 0;
        double gain = 0;
        for (int p = 0; p < n; p++) {
            int i = order[p];
            if (confidence[i] < 0) {
                continue;
            }
            // Rejecting row i (and every less confident row before it).
            gain += switch (outcome[i]) {
                case 1 -> heldOos ? -1 : -REJECT_COST;
                case 0 -> heldOos ? 0 : 1;
                default -> 1;
            };
            boolean boundary = p + 1 == n || confidence[order[p + 1]] > confidence[i];
            if (boundary && gain > bestGain) {
                bestGain = gain;
                bestThreshold = p + 1 == n ? confidence[i] + 1e-9 : (confidence[i] + confidence[order[p + 1]]) / 2;
            }
        }
        return Math.min(bestThreshold, 1.0);
    }

    /**
     * The lowest n-gram confidence from which the n-gram view alone answers as well as the full
     * mixture on the held-out rows: walking down from the most confident held-out row, it counts
     * rows the n-gram label gets wrong where the mixture is right, minus the reverse, and keeps the
     * lowest confidence at which that net loss is at most {@value #SHORTCUT_LOSS_PER_MILLE} per
     * thousand held-out rows. Infinite (no shortcut) when even the most confident rows lose.
     */
    private static double chooseShortcut(double[][] ngramP, double[][] mixtureP, int[] y) {
        int n = y.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        double[] confidence = new double[n];
        for (int i = 0; i < n; i++) {
            confidence[i] = ngramP[i][argmax(ngramP[i])];
        }
        Arrays.sort(order, (a, b) -> Double.compare(confidence[b], confidence[a]));
        double allowance = Math.floor(SHORTCUT_LOSS_PER_MILLE * n / 1000.0);
        double best = Double.POSITIVE_INFINITY;
        int netLoss = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (confidence[i] < MIN_SHORTCUT) {
                break;
            }
            boolean ngramRight = argmax(ngramP[i]) == y[i];
            boolean mixtureRight = argmax(mixtureP[i]) == y[i];
            netLoss += (mixtureRight ? 1 : 0) - (ngramRight ? 1 : 0);
            boolean lastOfTie = k + 1 == n || confidence[order[k + 1]] < confidence[i];
            if (lastOfTie && netLoss <= allowance) {
                best = confidence[i];
            }
        }
        return best;
    }

    @Override
    public Classification classify(String text) {
        Checks.notNull(text, "text");
        return classifyFully(text);
    }

    /**
     * Like {@link #classify}, but answers from the n-gram view alone, without embedding the
     * message, when that view is at least {@link #shortcut()} confident: a threshold chosen at
     * training so that, on the held-out rows, the shortcut lost at most one answer per thousand
     * against the full mixture. Messages the n-gram view is unsure of, and so every message from
     * another domain (their words are unknown to it), still take the full path with its
     * none-of-these tests. The confidence of a shortcut answer is the n-gram view's probability.
     */
    public Classification classifyWithShortcut(String text) {
        Checks.notNull(text, "text");
        if (shortcut <= 1.0) {
            double[] pn = ngramProbabilities(components, text);
            int best = argmax(pn);
            if (pn[best] >= shortcut) {
                Map<String, Double> scores = topScores(pn);
                if (hasOosClass && best == labels.size() - 1) {
                    return new Classification(Classification.NONE_OF_THESE, pn[best], scores);
                }
                return new Classification(labels.get(best), pn[best], scores);
            }
        }
        return classifyFully(text);
    }

    private Classification classifyFully(String text) {
        int classes = labels.size();
        Scores raw = mixture(components, text, embeddings.embed(text), classes);
        double[] p = calibrate(raw.p(), temperature);
        int best = argmax(p);
        Map<String, Double> scores = topScores(p);
        if (hasOosClass && best == classes - 1) {
            return new Classification(Classification.NONE_OF_THESE, p[best], scores);
        }
        if (p[best] < threshold || raw.nearest() < minSimilarity) {
            return new Classification(Classification.NONE_OF_THESE, 1.0 - p[best], scores);
        }
        return new Classification(labels.get(best), p[best], scores);
    }

    private Map<String, Double> topScores(double[] p) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        Map<String, Double> top = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(SCORES_KEPT, p.length); i++) {
            top.put(labels.get(order[i]), p[order[i]]);
        }
        return top;
    }

    /** The labels this router routes to, sorted; the out-of-scope label is not among them. */
    public List<String> labels() {
        return hasOosClass ? labels.subList(0, labels.size() - 1) : labels;
    }

    /** Similarity to the nearest training message below which the answer is none-of-these. */
    public double minSimilarity() {
        return minSimilarity;
    }

    /** Confidence below which the answer is none-of-these. */
    public double threshold() {
        return threshold;
    }

    public double temperature() {
        return temperature;
    }

    /** n-gram confidence from which {@link #classifyWithShortcut} skips the embedding; infinite when never. */
    public double shortcut() {
        return shortcut;
    }

    public EmbeddingModelId embeddingModel() {
        return embeddings.modelId();
    }

    public TrainingReport report() {
        return report;
    }

    /** Writes the router to {@code file} (replacing it atomically when the file system allows). */
    public void save(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeUTF(MAGIC);
                out.writeInt(FORMAT_VERSION);
                out.writeUTF(embeddings.modelId().name());
                out.writeInt(embeddings.modelId().dimension());
                out.writeInt(labels.size());
                for (String label : labels) {
                    out.writeUTF(label);
                }
                out.writeBoolean(hasOosClass);
                out.writeDouble(temperature);
                out.writeDouble(threshold);
                out.writeDouble(minSimilarity);
                out.writeDouble(shortcut);
                writeReport(out, report);
                components.ngrams().write(out);
                components.ngramModel().write(out);
                components.embeddingModel().write(out);
                out.writeInt(components.neighbourLabels().length);
                for (int label : components.neighbourLabels()) {
                    out.writeInt(label);
                }
                for (float f : components.neighbours()) {
                    out.writeFloat(f);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write router to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a router written by {@link #save}.
     *
     * @throws RouterDataException when the file is missing, is not a router, has another format
     *     version, or was trained with another embedding model than {@code embeddings}'
     */
    public static IntentRouter load(Path file, EmbeddingService embeddings) {
        if (!Files.isRegularFile(file)) {
            throw new RouterDataException(file + ": no such file");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                magic = "";
            }
            if (!MAGIC.equals(magic)) {
                throw new RouterDataException(file + ": not a Guildhall router file");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new RouterDataException(file + ": router format version " + version + ", this Guildhall reads "
                        + FORMAT_VERSION + "; train the router again");
            }
            EmbeddingModelId stored = new EmbeddingModelId(in.readUTF(), in.readInt());
            if (!stored.equals(embeddings.modelId())) {
                throw new RouterDataException(file + ": trained with embeddings " + stored
                        + ", but the embedding model is " + embeddings.modelId() + "; train the router again");
            }
            int n = in.readInt();
            List<String> labels = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                labels.add(in.readUTF());
            }
            boolean hasOos = in.readBoolean();
            double temperature = in.readDouble();
            double threshold = in.readDouble();
            double minSimilarity = in.readDouble();
            double shortcut = in.readDouble();
            TrainingReport report = readReport(in);
            NgramFeatures ngrams = NgramFeatures.read(in);
            SoftmaxRegression ngramModel = SoftmaxRegression.read(in);
            SoftmaxRegression embeddingModel = SoftmaxRegression.read(in);
            int rows = in.readInt();
            int[] neighbourLabels = new int[rows];
            for (int i = 0; i < rows; i++) {
                neighbourLabels[i] = in.readInt();
            }
            float[] neighbours = new float[Math.multiplyExact(rows, stored.dimension())];
            for (int i = 0; i < neighbours.length; i++) {
                neighbours[i] = in.readFloat();
            }
            Components components =
                    Components.of(ngrams, ngramModel, embeddingModel, neighbours, neighbourLabels, stored.dimension());
            return new IntentRouter(
                    embeddings, labels, hasOos, components, temperature, threshold, minSimilarity, shortcut, report);
        } catch (EOFException e) {
            throw new RouterDataException(file + ": truncated router file", e);
        } catch (RouterDataException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            // A damaged body (a negative or absurd length, an index past a table) is still a bad file.
            throw new RouterDataException(file + ": damaged router file (" + e + "); train the router again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read router " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeReport(DataOutputStream out, TrainingReport r) throws IOException {
        out.writeInt(r.examples());
        out.writeInt(r.labels());
        out.writeInt(r.oosExamples());
        out.writeDouble(r.holdOutAccuracy());
        out.writeDouble(r.temperature());
        out.writeDouble(r.threshold());
        out.writeUTF(r.thresholdRule());
        out.writeDouble(r.minSimilarity());
        out.writeDouble(r.shortcut());
        out.writeDouble(r.shortcutShare());
        out.writeLong(r.trainingMillis());
    }

    private static TrainingReport readReport(DataInputStream in) throws IOException {
        return new TrainingReport(
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readUTF(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readLong());
    }

    /** Indices of rows to fit on and rows to hold out; every label keeps at least one row to fit on. */
    private static int[][] stratifiedSplit(int[] y, int classes, double fraction, long seed) {
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < y.length; i++) {
            byClass.computeIfAbsent(y[i], k -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed);
        List<Integer> fit = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (List<Integer> rows : byClass.values()) {
            java.util.Collections.shuffle(rows, random);
            int h = rows.size() < 2 ? 0 : Math.max(1, (int) Math.round(rows.size() * fraction));
            held.addAll(rows.subList(0, h));
            fit.addAll(rows.subList(h, rows.size()));
        }
        return new int[][] {
            fit.stream().mapToInt(Integer::intValue).toArray(),
            held.stream().mapToInt(Integer::intValue).toArray()
        };
    }

    private static double accuracy(double[][] p, int[] y) {
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            if (argmax(p[i]) == y[i]) {
                right++;
            }
        }
        return right / (double) y.length;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}
