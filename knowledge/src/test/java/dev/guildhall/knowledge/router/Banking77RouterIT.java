package dev.guildhall.knowledge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router on Banking77 ({@code ../shared/data/banking77/train.csv}, next to the project; skipped
 * when absent). The default run trains on a stratified subset to stay fast; {@code
 * -Dbanking77.full=true} trains on 80 % of the file and scores the other 20 %.
 */
class Banking77RouterIT {
    private static final Logger LOG = LoggerFactory.getLogger(Banking77RouterIT.class);
    static final Path DATA = Path.of("..")
            .toAbsolutePath()
            .normalize()
            .resolve("../shared/data/banking77/train.csv")
            .normalize();

    static List<LabelledExample> banking77() {
        assumeTrue(Files.isRegularFile(DATA), "Banking77 not found at " + DATA + "; skipping (see the data README)");
        return LabelledCsv.read(DATA);
    }

    /** Per label: the first {@code train} shuffled rows to train on, the next {@code test} to score. */
    static List<List<LabelledExample>> split(List<LabelledExample> rows, int train, int test, long seed) {
        Map<String, List<LabelledExample>> byLabel = new TreeMap<>();
        rows.forEach(
                r -> byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r));
        Random random = new Random(seed);
        List<LabelledExample> trainRows = new ArrayList<>();
        List<LabelledExample> testRows = new ArrayList<>();
        for (List<LabelledExample> group : byLabel.values()) {
            Collections.shuffle(group, random);
            int t = test > 0 ? test : (int) Math.round(group.size() * 0.2);
            int n = train > 0 ? Math.min(train, group.size() - t) : group.size() - t;
            testRows.addAll(group.subList(0, t));
            trainRows.addAll(group.subList(t, t + n));
        }
        return List.of(trainRows, testRows);
    }

    @Test
    void a_router_trained_on_30_examples_per_intent_routes_held_out_messages() {
        List<List<LabelledExample>> split = split(banking77(), 30, 10, 7);

        IntentRouter router =
                IntentRouter.train(split.get(0), "oos", InProcessEmbeddingService.bgeSmallEnV15Quantized());
        RouterEvaluation e = RouterEvaluation.evaluate(router, split.get(1), "oos");

        LOG.info(
                "Banking77 subset ({} train, {} test): {}",
                split.get(0).size(),
                split.get(1).size(),
                e.summaryLine());
        assertThat(router.labels()).hasSize(77);
        // Measured 0.905 on this subset (seed 7); the floor leaves room for other seeds, not for a broken router.
        assertThat(e.accuracy()).isGreaterThan(0.85);
        assertThat(e.macroF1()).isGreaterThan(0.84);
        // No out-of-scope rows in Banking77: messages far from banking are rejected by similarity.
        List<String> farAway = List.of(
                "What is the weather like in Paris tomorrow?",
                "Tell me a joke about cats",
                "Who won the football match last night?",
                "How do I bake sourdough bread?",
                "Play some relaxing music",
                "What is the capital of Australia?",
                "How tall is Mount Everest?",
                "recommend a good film to watch tonight",
                "how do I fix a flat bicycle tyre");
        long rejected =
                farAway.stream().filter(t -> router.classify(t).outOfScope()).count();
        LOG.info(
                "Banking77 subset: {} of {} far-away messages rejected (similarity floor {})",
                rejected,
                farAway.size(),
                router.minSimilarity());
        // Measured 5 of 9 here: with 30 rows per intent the held-out set is small and its 0.2nd
        // percentile is its least similar message. Trained on 8,000 rows the floor is 0.77 and
        // 11 of 12 such messages are rejected (docs/ROUTER.md).
        assertThat(rejected).isGreaterThanOrEqualTo(5);

        // The shortcut answers confident messages from the n-gram view alone: most of them, at
        // nearly the same accuracy, and a far-away message is not confident, so still rejected.
        RouterEvaluation shortcut = RouterEvaluation.evaluate(router::classifyWithShortcut, split.get(1), "oos");
        LOG.info(
                "Banking77 subset with the shortcut from n-gram confidence {} ({} of held-out rows): {}",
                router.shortcut(),
                router.report().shortcutShare(),
                shortcut.summaryLine());
        assertThat(router.report().shortcutShare()).isGreaterThan(0.3);
        assertThat(shortcut.accuracy()).isGreaterThan(e.accuracy() - 0.01);
        assertThat(farAway.stream()
                        .filter(t -> router.classifyWithShortcut(t).outOfScope())
                        .count())
                .isEqualTo(rejected);
    }

    @Test
    void on_a_full_80_20_split_the_router_reaches_93_percent() {
        assumeTrue(Boolean.getBoolean("banking77.full"), "full Banking77 run only with -Dbanking77.full=true");
        for (long seed : new long[] {1, 2}) {
            List<List<LabelledExample>> split = split(banking77(), 0, 0, seed);

            IntentRouter router =
                    IntentRouter.train(split.get(0), "oos", InProcessEmbeddingService.bgeSmallEnV15Quantized());
            RouterEvaluation e = RouterEvaluation.evaluate(router, split.get(1), "oos");

            LOG.info(
                    "Banking77 80/20 seed {}: trained in {} ms, {}",
                    seed,
                    router.report().trainingMillis(),
                    e.summaryLine());
            assertThat(e.accuracy()).as("seed " + seed).isGreaterThan(0.93);
        }
    }
}
