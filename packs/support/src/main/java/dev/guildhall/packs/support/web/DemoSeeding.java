package dev.guildhall.packs.support.web;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.collection.CollectionName;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.knowledge.router.LabelledCsv;
import dev.guildhall.knowledge.router.LabelledExample;
import dev.guildhall.knowledge.router.RouterDataException;
import dev.guildhall.packs.support.agents.KnowledgeAnswerer;
import dev.guildhall.packs.support.faq.BankingFaq;
import dev.guildhall.packs.support.routing.WorkspaceRouters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the host's demo workspace a working support desk when the server starts, so that the
 * README's main command is enough: the pack's online-banking help centre goes into the workspace's
 * knowledge collection and its router is trained, on a background thread (the server answers
 * meanwhile; {@link #pending} tells the API to ask the caller to come back). The router trains on
 * Banking77's training split when that file is there (ten thousand real messages), otherwise on
 * the pack's own five examples per intent; the pack's out-of-scope examples are added either way.
 * A workspace whose saved router loads is left alone, so a restart does not retrain.
 */
public final class DemoSeeding {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSeeding.class);

    /** What the router was trained on, for the log and the API. */
    public record Seeded(String trainingSource, int examples, boolean alreadyThere) {}

    private final WorkspaceId workspace;
    private final WorkspaceRouters routers;
    private final KnowledgeBase knowledge;
    private final @Nullable Path trainingData;
    private volatile @Nullable CompletableFuture<Seeded> seeding;

    /**
     * @param trainingData a {@code text,label} CSV to train the demo router on; null or missing means
     *     the pack's own examples
     */
    public DemoSeeding(
            WorkspaceId workspace, WorkspaceRouters routers, KnowledgeBase knowledge, @Nullable Path trainingData) {
        this.workspace = Checks.notNull(workspace, "workspace");
        this.routers = Checks.notNull(routers, "routers");
        this.knowledge = Checks.notNull(knowledge, "knowledge");
        this.trainingData = trainingData;
    }

    /** Starts seeding on a daemon thread, once; the future completes when the desk can answer. */
    public synchronized CompletableFuture<Seeded> start() {
        if (seeding == null) {
            CompletableFuture<Seeded> future = new CompletableFuture<>();
            seeding = future;
            Thread thread = new Thread(
                    () -> {
                        try {
                            future.complete(seed());
                        } catch (RuntimeException | Error e) {
                            LOG.error("Support desk demo: seeding workspace {} failed", workspace.value(), e);
                            future.completeExceptionally(e);
                        }
                    },
                    "support-demo-seeding");
            thread.setDaemon(true);
            thread.start();
        }
        return seeding;
    }

    /** True while the demo workspace's desk is still being set up. */
    public boolean pending(WorkspaceId candidate) {
        CompletableFuture<Seeded> s = seeding;
        return workspace.equals(candidate) && s != null && !s.isDone();
    }

    public WorkspaceId workspace() {
        return workspace;
    }

    private Seeded seed() {
        if (hasRouter()) {
            LOG.info("Support desk demo: workspace {} already has its help centre and router", workspace.value());
            return new Seeded("saved router", 0, true);
        }
        long started = System.nanoTime();
        BankingFaq.install(knowledge, workspace);
        List<LabelledExample> examples = new ArrayList<>();
        String source;
        if (trainingData != null && Files.isRegularFile(trainingData)) {
            examples.addAll(LabelledCsv.read(trainingData));
            // Banking77 has no out-of-scope rows; the pack's teach the router what to turn away.
            BankingFaq.examples().stream().filter(e -> e.label().equals("oos")).forEach(examples::add);
            source = trainingData.toString();
        } else {
            examples.addAll(BankingFaq.examples());
            source = "the pack's own examples (" + BankingFaq.EXAMPLES_RESOURCE + ")";
        }
        LOG.info(
                "Support desk demo: training workspace {}'s router on {} messages from {} in the background",
                workspace.value(),
                examples.size(),
                source);
        routers.train(workspace, examples);
        LOG.info(
                "Support desk demo: workspace {} answers customer messages ({} help-centre articles, router"
                        + " trained on {} messages, {} s)",
                workspace.value(),
                BankingFaq.intents().size(),
                examples.size(),
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
        return new Seeded(source, examples.size(), false);
    }

    private boolean hasRouter() {
        try {
            return routers.find(workspace).isPresent()
                    && knowledge
                            .find(workspace, CollectionName.of(KnowledgeAnswerer.COLLECTION))
                            .isPresent();
        } catch (RouterDataException e) {
            // A router saved by an older version, or a damaged file: train a new one.
            LOG.info("Support desk demo: the saved router cannot be used ({}); training again", e.getMessage());
            return false;
        }
    }

    /** The training file named by the setting, else Banking77's training split beside the project. */
    public static Optional<Path> trainingData(@Nullable String configured, @Nullable String home) {
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        if (home == null || home.isBlank()) {
            return Optional.empty();
        }
        Path beside = Path.of(home).toAbsolutePath().normalize().resolveSibling("shared/data/banking77/train.csv");
        return Files.isRegularFile(beside) ? Optional.of(beside) : Optional.empty();
    }
}
