package dev.guildhall.knowledge.collection;

import dev.guildhall.core.Checks;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.ingest.ChunkText;
import dev.guildhall.knowledge.ingest.Chunker;
import dev.guildhall.knowledge.ingest.DocumentParser;
import dev.guildhall.knowledge.ingest.ParsedDocument;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.search.Query;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workspace's collection: a {@link ChunkStore} (the source of truth) and the Lucene index
 * derived from it.
 *
 * <p>Every write goes to the store first (durably) and then to the index, which is committed last.
 * Each indexed chunk carries its document's revision, so on open the index is compared with the
 * store and brought level: documents stored but not (or not at this revision) in the index are
 * indexed again, documents in the index but no longer stored are removed. A crash at any point
 * therefore loses nothing that was acknowledged, and a lost or damaged index is rebuilt from the
 * store. Writes are serialized; searches run alongside them. Thread-safe.
 */
public final class KnowledgeCollection implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(KnowledgeCollection.class);

    /** The constant of reciprocal rank fusion: a hit at rank r adds 1 / (RRF_K + r). */
    public static final int RRF_K = 60;

    /** Each list fused in hybrid mode holds at least this many candidates. */
    static final int MIN_CANDIDATES = 50;

    private final WorkspaceId workspace;
    private final CollectionName name;
    private final ChunkStore store;
    private final LuceneChunkIndex index;
    private final Embedder embedder;
    private final Chunker chunker;
    private final DocumentParser parser = new DocumentParser();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Reconciliation openedWith;
    private final boolean readOnly;
    private long nextRevision;

    /** What opening the collection had to repair: documents indexed again and removed from the index. */
    public record Reconciliation(int reindexed, int removed, int reembedded) {
        public boolean changedAnything() {
            return reindexed + removed + reembedded > 0;
        }
    }

    /** A stored document, as listed. */
    public record DocumentSummary(
            DocumentId id, String title, String source, String format, int chunks, long revision) {}

    private KnowledgeCollection(
            WorkspaceId workspace,
            CollectionName name,
            ChunkStore store,
            LuceneChunkIndex index,
            Embedder embedder,
            Chunker chunker,
            boolean readOnly) {
        this.workspace = workspace;
        this.name = name;
        this.store = store;
        this.index = index;
        this.embedder = embedder;
        this.chunker = chunker;
        this.readOnly = readOnly;
        // Read-only, the index is searched as last committed: repairing it is a writer's job.
        this.openedWith = readOnly ? new Reconciliation(0, 0, 0) : reconcile();
    }

    /**
     * Opens a collection whose chunks live in {@code store} and whose index lives in {@code
     * indexDir}, repairing the index from the store first.
     *
     * @throws IndexNeedsRebuildException when the index is damaged or holds another model's vectors
     */
    static KnowledgeCollection open(
            WorkspaceId workspace,
            CollectionName name,
            ChunkStore store,
            Path indexDir,
            Embedder embedder,
            Chunker chunker,
            boolean readOnly) {
        LuceneChunkIndex index = LuceneChunkIndex.open(workspace, name, indexDir, embedder, readOnly);
        try {
            return new KnowledgeCollection(workspace, name, store, index, embedder, chunker, readOnly);
        } catch (RuntimeException e) {
            index.abandon();
            throw e;
        }
    }

    public WorkspaceId workspace() {
        return workspace;
    }

    public CollectionName name() {
        return name;
    }

    public Embedder embedder() {
        return embedder;
    }

    /** What was repaired when this collection was opened. */
    public Reconciliation openedWith() {
        return openedWith;
    }

    /** Adds one document, or replaces the stored one with the same id (its old chunks go). */
    public StoredDocument add(NewDocument document) {
        return addAll(List.of(document)).get(0);
    }

    /**
     * Adds or replaces several documents with one index commit. Parsing and embedding happen before
     * anything is written, so a file that cannot be read leaves the collection unchanged.
     */
    public List<StoredDocument> addAll(List<NewDocument> documents) {
        requireWritable();
        requireDistinctIds(documents.stream().map(NewDocument::id).toList());
        List<Prepared> prepared = new ArrayList<>(documents.size());
        for (NewDocument d : documents) {
            prepared.add(prepare(d));
        }
        List<String> texts = new ArrayList<>();
        for (Prepared p : prepared) {
            p.chunks.forEach(c -> texts.add(c.contextualText()));
        }
        List<float[]> vectors = embedder.embedPassages(texts);
        writeLock.lock();
        try {
            List<StoredDocument> stored = new ArrayList<>(prepared.size());
            int offset = 0;
            for (Prepared p : prepared) {
                List<float[]> own = vectors.subList(offset, offset + p.chunks.size());
                offset += p.chunks.size();
                StoredDocument doc = new StoredDocument(
                        p.doc.id(),
                        nextRevision++,
                        p.title,
                        p.doc.source(),
                        p.doc.format(),
                        p.doc.metadata(),
                        p.chunks,
                        embedder.modelName(),
                        embedder.dimension(),
                        own);
                store.put(doc);
                stored.add(doc);
            }
            for (StoredDocument doc : stored) {
                index.put(doc);
            }
            index.commit();
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Adds documents whose chunks and vectors are already made (benchmarks, imports). The vectors
     * must come from this collection's model.
     */
    public void addPrepared(List<StoredDocument> documents) {
        requireWritable();
        requireDistinctIds(documents.stream().map(StoredDocument::id).toList());
        for (StoredDocument d : documents) {
            if (!d.embeddedBy(embedder)) {
                throw new IllegalArgumentException("document " + d.id() + " has vectors of " + d.model()
                        + " but collection " + this + " uses " + embedder);
            }
        }
        writeLock.lock();
        try {
            List<StoredDocument> stored = new ArrayList<>(documents.size());
            for (StoredDocument d : documents) {
                StoredDocument doc = new StoredDocument(
                        d.id(),
                        nextRevision++,
                        d.title(),
                        d.source(),
                        d.format(),
                        d.metadata(),
                        d.chunks(),
                        d.model(),
                        d.dimension(),
                        d.vectors());
                store.put(doc);
                stored.add(doc);
            }
            stored.forEach(index::put);
            index.commit();
        } finally {
            writeLock.unlock();
        }
    }

    private static void requireDistinctIds(List<DocumentId> ids) {
        Set<DocumentId> seen = new HashSet<>();
        for (DocumentId id : ids) {
            if (!seen.add(id)) {
                throw new IllegalArgumentException(
                        "document id " + id + " is given twice in one add; give each file its own id");
            }
        }
    }

    private record Prepared(NewDocument doc, String title, List<Chunk> chunks) {}

    private Prepared prepare(NewDocument d) {
        ParsedDocument parsed = parser.parse(d.format(), d.content(), d.source(), d.fallbackTitle());
        String title = d.title() != null ? d.title() : parsed.title();
        Map<String, String> chunkMeta = FileChunkStore.chunkMetadata(d.metadata(), d.source(), d.format());
        List<ChunkText> texts = chunker.chunk(parsed);
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("document " + d.id() + " (" + d.source() + ") has no text to index");
        }
        List<Chunk> chunks = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            ChunkText t = texts.get(i);
            chunks.add(new Chunk(d.id(), i, title, d.source(), t.headingPath(), t.page(), t.text(), chunkMeta));
        }
        return new Prepared(d, title, chunks);
    }

    /** Deletes a document and all its chunks; returns whether it was there. */
    public boolean delete(DocumentId id) {
        requireWritable();
        writeLock.lock();
        try {
            boolean existed = store.delete(id);
            index.delete(id);
            index.commit();
            return existed;
        } finally {
            writeLock.unlock();
        }
    }

    /** Whether this process opened the collection only to search it (see {@link KnowledgeBase#readOnly}). */
    public boolean readOnly() {
        return readOnly;
    }

    private void requireWritable() {
        if (readOnly) {
            throw new IllegalStateException("collection " + workspace + "/" + name + " was opened read-only");
        }
    }

    public Optional<StoredDocument> findDocument(DocumentId id) {
        return store.find(id);
    }

    /** Every stored document, sorted by id. */
    public List<DocumentSummary> documents() {
        List<DocumentSummary> out = new ArrayList<>();
        for (DocumentId id : store.revisions().keySet()) {
            store.find(id)
                    .ifPresent(d -> out.add(new DocumentSummary(
                            d.id(),
                            d.title(),
                            d.source(),
                            d.format().label(),
                            d.chunks().size(),
                            d.revision())));
        }
        out.sort((a, b) -> a.id().value().compareTo(b.id().value()));
        return out;
    }

    /** Number of chunks in the index. */
    public int chunkCount() {
        return index.chunkCount();
    }

    /** The best {@code k} chunks for the request, best first. */
    public List<SearchHit> search(SearchRequest request) {
        float @Nullable [] queryVector =
                request.mode() == SearchMode.BM25 ? null : embedder.embedQuery(request.query());
        return search(request, queryVector);
    }

    /** Like {@link #search(SearchRequest)} with the query's vector given (benchmarks embed separately). */
    public List<SearchHit> search(SearchRequest request, float @Nullable [] queryVector) {
        Checks.notNull(request, "request");
        if (request.mode() != SearchMode.BM25) {
            Checks.notNull(queryVector, "queryVector");
        }
        @Nullable Query filter = LuceneChunkIndex.filter(request.filters());
        int k = request.k();
        return index.withSearcher(searcher -> switch (request.mode()) {
            case BM25 -> {
                List<SearchHit> hits = new ArrayList<>();
                int rank = 1;
                for (LuceneChunkIndex.Scored s : index.bm25(searcher, request.query(), k, filter)) {
                    hits.add(
                            new SearchHit(LuceneChunkIndex.chunk(searcher, s.doc()), s.score(), rank++, 0, Double.NaN));
                }
                yield hits;
            }
            case VECTOR -> {
                List<SearchHit> hits = new ArrayList<>();
                int rank = 1;
                for (LuceneChunkIndex.Scored s : index.vector(searcher, queryVector, k, filter)) {
                    hits.add(new SearchHit(
                            LuceneChunkIndex.chunk(searcher, s.doc()), s.score(), 0, rank++, 2.0 * s.score() - 1.0));
                }
                yield hits;
            }
            case HYBRID -> {
                int n = Math.max(k, MIN_CANDIDATES);
                List<LuceneChunkIndex.Scored> lexical = index.bm25(searcher, request.query(), n, filter);
                List<LuceneChunkIndex.Scored> semantic = index.vector(searcher, queryVector, n, filter);
                Map<Integer, double[]> fused = new LinkedHashMap<>();
                for (int i = 0; i < lexical.size(); i++) {
                    double[] f = fused.computeIfAbsent(lexical.get(i).doc(), d -> new double[3]);
                    f[0] += 1.0 / (RRF_K + i + 1);
                    f[1] = i + 1;
                }
                for (int i = 0; i < semantic.size(); i++) {
                    double[] f = fused.computeIfAbsent(semantic.get(i).doc(), d -> new double[3]);
                    f[0] += 1.0 / (RRF_K + i + 1);
                    f[2] = i + 1;
                }
                List<Map.Entry<Integer, double[]>> ranked = new ArrayList<>(fused.entrySet());
                ranked.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
                List<SearchHit> hits = new ArrayList<>();
                for (Map.Entry<Integer, double[]> e : ranked.subList(0, Math.min(k, ranked.size()))) {
                    double[] f = e.getValue();
                    hits.add(new SearchHit(
                            LuceneChunkIndex.chunk(searcher, e.getKey()),
                            f[0],
                            (int) f[1],
                            (int) f[2],
                            LuceneChunkIndex.similarity(searcher, e.getKey(), queryVector)));
                }
                yield hits;
            }
        });
    }

    /**
     * Brings the index level with the store (see the class comment). Documents whose stored vectors
     * come from another model are embedded again and stored at a new revision first.
     */
    private Reconciliation reconcile() {
        writeLock.lock();
        try {
            Map<DocumentId, Long> stored = store.revisions();
            Map<DocumentId, Long> indexed = index.revisions();
            long max = 0;
            for (long r : stored.values()) {
                max = Math.max(max, r);
            }
            for (long r : indexed.values()) {
                max = Math.max(max, r);
            }
            nextRevision = max + 1;
            int reindexed = 0;
            int removed = 0;
            int reembedded = 0;
            List<DocumentId> ids = new ArrayList<>(stored.keySet());
            Collections.sort(ids, (a, b) -> a.value().compareTo(b.value()));
            for (DocumentId id : ids) {
                if (stored.get(id).equals(indexed.get(id))) {
                    continue;
                }
                Optional<StoredDocument> found = store.find(id);
                if (found.isEmpty()) {
                    continue;
                }
                StoredDocument doc = found.get();
                if (!doc.embeddedBy(embedder)) {
                    List<String> texts =
                            doc.chunks().stream().map(Chunk::contextualText).toList();
                    doc = doc.withVectors(nextRevision++, embedder, embedder.embedPassages(texts));
                    store.put(doc);
                    reembedded++;
                }
                index.put(doc);
                reindexed++;
            }
            Map<DocumentId, Long> orphans = new HashMap<>(indexed);
            orphans.keySet().removeAll(stored.keySet());
            for (DocumentId id : orphans.keySet()) {
                index.delete(id);
                removed++;
            }
            Reconciliation r = new Reconciliation(reindexed, removed, reembedded);
            if (r.changedAnything()) {
                index.commit();
                log.info(
                        "Collection(workspace={}, name={}) index repaired from the chunk store: {} reindexed, {} removed, {} re-embedded",
                        workspace,
                        name,
                        reindexed,
                        removed,
                        reembedded);
            }
            return r;
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes without committing the index, as a crash would. For tests of crash consistency. */
    void crash() {
        index.abandon();
    }

    /** Puts a document in the store only, as if the process died before the index commit. For tests. */
    void storeOnly(StoredDocument document) {
        store.put(document);
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            index.close();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return workspace + "/" + name;
    }
}
