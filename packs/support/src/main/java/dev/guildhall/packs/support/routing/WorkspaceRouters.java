package dev.guildhall.packs.support.routing;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.embed.EmbeddingService;
import dev.guildhall.knowledge.router.IntentRouter;
import dev.guildhall.knowledge.router.LabelledExample;
import dev.guildhall.knowledge.router.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One trained {@link IntentRouter} per workspace: each workspace routes to its own intents, learned
 * from its own examples. A trained router is kept in memory and, when a directory is given, saved
 * as {@code {dir}/{workspace}/router.bin} so a restart finds it again. Thread-safe.
 */
public final class WorkspaceRouters {
    private final @Nullable Path dir;
    private final Supplier<EmbeddingService> embeddings;
    private final Map<WorkspaceId, IntentRouter> routers = new ConcurrentHashMap<>();

    /**
     * @param dir where routers are saved, or null to keep them in memory only
     * @param embeddings the embedding service, asked for on first use (loading the model takes a second)
     */
    public WorkspaceRouters(@Nullable Path dir, Supplier<EmbeddingService> embeddings) {
        this.dir = dir;
        this.embeddings = Checks.notNull(embeddings, "embeddings");
    }

    /**
     * Trains the workspace's router on {@code examples} (rows labelled {@code oos} teach what is out
     * of scope), replaces the one it had and saves it.
     */
    public IntentRouter train(WorkspaceId workspace, List<LabelledExample> examples) {
        Checks.notNull(workspace, "workspace");
        IntentRouter router = IntentRouter.train(examples, TrainingOptions.defaults(), embeddings.get());
        Path file = file(workspace);
        if (file != null) {
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file.getParent(), e);
            }
            router.save(file);
        }
        routers.put(workspace, router);
        return router;
    }

    /** Uses {@code router}, trained elsewhere, for the workspace (in memory only; not saved). */
    public void put(WorkspaceId workspace, IntentRouter router) {
        routers.put(Checks.notNull(workspace, "workspace"), Checks.notNull(router, "router"));
    }

    /** The workspace's router: the one in memory, or the saved one; empty when it never trained one. */
    public Optional<IntentRouter> find(WorkspaceId workspace) {
        IntentRouter router = routers.get(workspace);
        if (router != null) {
            return Optional.of(router);
        }
        Path file = file(workspace);
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(routers.computeIfAbsent(workspace, w -> IntentRouter.load(file, embeddings.get())));
    }

    private @Nullable Path file(WorkspaceId workspace) {
        return dir == null
                ? null
                : dir.resolve(URLEncoder.encode(workspace.value(), StandardCharsets.UTF_8))
                        .resolve("router.bin");
    }
}
