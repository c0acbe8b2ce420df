package dev.guildhall.packs.support.routing;

import dev.guildhall.core.Checks;
import dev.guildhall.knowledge.embed.EmbeddingModelId;
import dev.guildhall.knowledge.embed.EmbeddingService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coalesces concurrent {@link #embed} calls into one {@link EmbeddingService#embedAll} call of the
 * wrapped service, one batch at a time. The desk routes many messages at once; embedding each on
 * its own thread makes every ONNX run start its own pool of spinning threads, which on a small
 * machine costs more than the model itself, while one padded batch of messages of similar length
 * costs less per message than single runs. No thread waits for a batch to fill: the first caller
 * embeds whatever is queued at that moment (at most {@code maxBatch}), and callers that arrive
 * meanwhile form the next batch. Thread-safe.
 */
public final class BatchingEmbeddingService implements EmbeddingService {
    public static final int DEFAULT_MAX_BATCH = 32;

    private record Pending(String text, CompletableFuture<float[]> vector) {}

    private final EmbeddingService delegate;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lane = new ReentrantLock();

    public BatchingEmbeddingService(EmbeddingService delegate, int maxBatch) {
        this.delegate = Checks.notNull(delegate, "delegate");
        this.maxBatch = Checks.positive(maxBatch, "maxBatch");
    }

    public BatchingEmbeddingService(EmbeddingService delegate) {
        this(delegate, DEFAULT_MAX_BATCH);
    }

    @Override
    public EmbeddingModelId modelId() {
        return delegate.modelId();
    }

    @Override
    public float[] embed(String text) {
        Checks.notNull(text, "text");
        CompletableFuture<float[]> vector = new CompletableFuture<>();
        queue.add(new Pending(text, vector));
        while (!vector.isDone()) {
            if (lane.tryLock()) {
                try {
                    runBatch();
                } finally {
                    lane.unlock();
                }
            } else {
                try {
                    return vector.get(1, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // The lane is busy with an earlier batch; try to lead the next one.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for an embedding", e);
                } catch (ExecutionException e) {
                    throw rethrow(e);
                }
            }
        }
        try {
            return vector.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an embedding", e);
        } catch (ExecutionException e) {
            throw rethrow(e);
        }
    }

    /** Texts given together are already a batch: passed straight through. */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        lane.lock();
        try {
            return delegate.embedAll(texts);
        } finally {
            lane.unlock();
        }
    }

    private void runBatch() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        for (Pending p; batch.size() < maxBatch && (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<float[]> vectors =
                    delegate.embedAll(batch.stream().map(Pending::text).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).vector().complete(vectors.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.vector().completeExceptionally(e));
        }
    }

    private static RuntimeException rethrow(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
}
