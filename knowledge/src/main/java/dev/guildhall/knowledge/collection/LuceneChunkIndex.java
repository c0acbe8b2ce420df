package dev.guildhall.knowledge.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;
import org.jspecify.annotations.Nullable;

/**
 * The Lucene index of one collection: one Lucene document per chunk with its text for BM25 (English
 * analyzer), its unit vector in an HNSW graph (dot product), its metadata as exact-match fields for
 * filters, and the document id and revision that {@link KnowledgeCollection} compares with the chunk
 * store. The embedding model's name and dimension are kept in the commit's user data. Holds Lucene's
 * write lock while open; writes are serialized by the caller, searches may run alongside them.
 */
final class LuceneChunkIndex implements Closeable {
    static final String F_DOC_ID = "doc_id";
    static final String F_DOC_REV = "doc_rev";
    static final String F_BODY = "body";
    static final String F_VECTOR = "vector";
    static final String F_META_PREFIX = "m.";
    static final String HEADING_SEPARATOR = "\u001f";
    static final String USER_DATA_MODEL = "embedding.model";
    static final String USER_DATA_DIMENSION = "embedding.dimension";

    private final WorkspaceId workspace;
    private final CollectionName collection;
    private final String name;
    private final Directory directory;
    private final Analyzer analyzer;
    /** Null when the index was opened read-only: then this process never takes Lucene's write lock. */
    private final @Nullable IndexWriter writer;

    private final SearcherManager searchers;
    private final String model;
    private final int dimension;

    private LuceneChunkIndex(
            WorkspaceId workspace,
            CollectionName collection,
            Directory directory,
            Analyzer analyzer,
            @Nullable IndexWriter writer,
            String model,
            int dimension)
            throws IOException {
        this.workspace = workspace;
        this.collection = collection;
        this.name = workspace + "/" + collection;
        this.directory = directory;
        this.analyzer = analyzer;
        this.writer = writer;
        // Read-only, the manager reopens from the directory's latest commit, so a search sees what
        // another process committed since.
        this.searchers = writer == null ? new SearcherManager(directory, null) : new SearcherManager(writer, null);
        this.model = model;
        this.dimension = dimension;
    }

    /**
     * Opens the index in {@code dir}, creating an empty one when there is none.
     *
     * @throws IndexNeedsRebuildException when the index is damaged or was built with another model
     */
    static LuceneChunkIndex open(WorkspaceId workspace, CollectionName collection, Path dir, Embedder embedder) {
        return open(workspace, collection, dir, embedder, false);
    }

    /**
     * Opens the index; {@code readOnly}, it only reads the latest commit (no write lock, no repair),
     * and fails when there is no index yet.
     */
    static LuceneChunkIndex open(
            WorkspaceId workspace, CollectionName collection, Path dir, Embedder embedder, boolean readOnly) {
        String name = workspace + "/" + collection;
        Directory directory = null;
        try {
            if (!readOnly) {
                Files.createDirectories(dir);
            }
            directory = FSDirectory.open(dir);
            boolean exists = DirectoryReader.indexExists(directory);
            if (readOnly && !exists) {
                throw new IndexNeedsRebuildException(workspace, collection, "does not exist", null);
            }
            if (exists) {
                Map<String, String> userData;
                try {
                    userData = SegmentInfos.readLatestCommit(directory).getUserData();
                } catch (IndexNotFoundException e) {
                    throw new IndexNeedsRebuildException(workspace, collection, "has no readable commit", e);
                } catch (IOException | RuntimeException e) {
                    throw new IndexNeedsRebuildException(
                            workspace, collection, "is damaged (" + e.getMessage() + ")", e);
                }
                String indexedModel = userData.getOrDefault(USER_DATA_MODEL, "?");
                String indexedDimension = userData.getOrDefault(USER_DATA_DIMENSION, "?");
                if (!indexedModel.equals(embedder.modelName())
                        || !indexedDimension.equals(Integer.toString(embedder.dimension()))) {
                    throw new IndexNeedsRebuildException(
                            workspace,
                            collection,
                            "holds vectors of %s (%s dimensions) but this process embeds with %s"
                                    .formatted(indexedModel, indexedDimension, embedder),
                            null);
                }
            }
            Analyzer analyzer = new EnglishAnalyzer();
            if (readOnly) {
                try {
                    return new LuceneChunkIndex(
                            workspace,
                            collection,
                            directory,
                            analyzer,
                            null,
                            embedder.modelName(),
                            embedder.dimension());
                } catch (IOException e) {
                    throw failure(workspace, collection, "read", e);
                }
            }
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            IndexWriter writer;
            try {
                writer = new IndexWriter(directory, config);
            } catch (org.apache.lucene.store.LockObtainFailedException e) {
                throw new IllegalStateException(
                        "collection " + name + " is open in another process (" + e.getMessage() + ")", e);
            } catch (IOException e) {
                throw new IndexNeedsRebuildException(workspace, collection, "is damaged (" + e.getMessage() + ")", e);
            }
            LuceneChunkIndex index = new LuceneChunkIndex(
                    workspace, collection, directory, analyzer, writer, embedder.modelName(), embedder.dimension());
            if (!exists) {
                index.commit();
            }
            return index;
        } catch (IOException e) {
            closeQuietly(directory);
            throw failure(workspace, collection, "open", e);
        } catch (RuntimeException e) {
            closeQuietly(directory);
            throw e;
        }
    }

    /** The revision of every document the index holds (from live chunks). */
    Map<DocumentId, Long> revisions() {
        Map<DocumentId, Long> out = new HashMap<>();
        IndexSearcher searcher = acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                LeafReader reader = leaf.reader();
                SortedDocValues ids = reader.getSortedDocValues(F_DOC_ID);
                NumericDocValues revs = reader.getNumericDocValues(F_DOC_REV);
                if (ids == null || revs == null) {
                    continue;
                }
                Bits live = reader.getLiveDocs();
                for (int doc = 0; doc < reader.maxDoc(); doc++) {
                    if ((live != null && !live.get(doc)) || !ids.advanceExact(doc) || !revs.advanceExact(doc)) {
                        continue;
                    }
                    out.putIfAbsent(DocumentId.of(ids.lookupOrd(ids.ordValue()).utf8ToString()), revs.longValue());
                }
            }
            return out;
        } catch (IOException e) {
            throw failure("read", e);
        } finally {
            release(searcher);
        }
    }

    /** A damaged file says so with the rebuild command; anything else is an I/O failure. */
    private RuntimeException failure(String doing, IOException e) {
        return failure(workspace, collection, doing, e);
    }

    private static RuntimeException failure(
            WorkspaceId workspace, CollectionName collection, String doing, IOException e) {
        if (e instanceof CorruptIndexException
                || e instanceof NoSuchFileException
                || e instanceof FileNotFoundException
                || e instanceof EOFException) {
            return new IndexNeedsRebuildException(workspace, collection, "is damaged (" + e.getMessage() + ")", e);
        }
        return new UncheckedIOException("cannot " + doing + " the index of " + workspace + "/" + collection, e);
    }

    /** Replaces every chunk of the document with the stored ones (not visible until {@link #commit}). */
    void put(StoredDocument document) {
        IndexWriter writer = writable();
        List<Document> docs = new ArrayList<>(document.chunks().size());
        for (int i = 0; i < document.chunks().size(); i++) {
            docs.add(luceneDocument(
                    document, document.chunks().get(i), document.vectors().get(i)));
        }
        try {
            writer.updateDocuments(new Term(F_DOC_ID + "_t", document.id().value()), docs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index " + document.id() + " in " + name, e);
        }
    }

    void delete(DocumentId id) {
        IndexWriter writer = writable();
        try {
            writer.deleteDocuments(new Term(F_DOC_ID + "_t", id.value()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + id + " from " + name, e);
        }
    }

    private IndexWriter writable() {
        if (writer == null) {
            throw new IllegalStateException("the index of " + name + " was opened read-only");
        }
        return writer;
    }

    /** Makes every change so far durable and visible to searches. */
    void commit() {
        IndexWriter writer = writable();
        try {
            writer.setLiveCommitData(Map.of(USER_DATA_MODEL, model, USER_DATA_DIMENSION, Integer.toString(dimension))
                    .entrySet());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the index of " + name, e);
        }
    }

    private Document luceneDocument(StoredDocument d, Chunk c, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(F_DOC_ID + "_t", d.id().value(), Field.Store.NO));
        doc.add(new SortedDocValuesField(F_DOC_ID, new BytesRef(d.id().value())));
        doc.add(new StoredField(F_DOC_ID, d.id().value()));
        doc.add(new NumericDocValuesField(F_DOC_REV, d.revision()));
        doc.add(new StoredField("chunk", c.index()));
        doc.add(new StoredField("title", c.title()));
        doc.add(new StoredField("source", c.source()));
        doc.add(new StoredField("heading", String.join(HEADING_SEPARATOR, c.headingPath())));
        doc.add(new StoredField("page", c.page()));
        doc.add(new StoredField("text", c.text()));
        ObjectNode meta = Json.object();
        c.metadata().forEach(meta::put);
        doc.add(new StoredField("meta", Json.write(meta)));
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            doc.add(new StringField(F_META_PREFIX + e.getKey(), e.getValue(), Field.Store.NO));
        }
        doc.add(new StringField(F_META_PREFIX + "document", d.id().value(), Field.Store.NO));
        doc.add(new TextField(F_BODY, c.contextualText(), Field.Store.NO));
        doc.add(new KnnFloatVectorField(F_VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    /** A hit before fusion: Lucene's doc number in the searcher that found it, and its score. */
    record Scored(int doc, float score) {}

    /** Runs one search on one searcher, so doc numbers from the BM25 and vector lists can be fused. */
    <T> T withSearcher(SearcherWork<T> work) {
        IndexSearcher searcher = acquire();
        try {
            return work.apply(searcher);
        } catch (IOException e) {
            throw failure("search", e);
        } finally {
            release(searcher);
        }
    }

    interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    List<Scored> bm25(IndexSearcher searcher, String query, int n, @Nullable Query filter) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(F_BODY, query)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(term.toString());
            }
            ts.end();
        }
        if (terms.isEmpty()) {
            return List.of();
        }
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        for (String t : terms.stream().limit(IndexSearcher.getMaxClauseCount()).toList()) {
            text.add(new TermQuery(new Term(F_BODY, t)), BooleanClause.Occur.SHOULD);
        }
        Query q = text.build();
        if (filter != null) {
            q = new BooleanQuery.Builder()
                    .add(q, BooleanClause.Occur.MUST)
                    .add(filter, BooleanClause.Occur.FILTER)
                    .build();
        }
        return scored(searcher.search(q, n).scoreDocs);
    }

    List<Scored> vector(IndexSearcher searcher, float[] queryVector, int n, @Nullable Query filter) throws IOException {
        if (queryVector.length != dimension) {
            throw new IllegalArgumentException(
                    "query vector must have " + dimension + " dimensions, was " + queryVector.length);
        }
        return scored(searcher.search(new KnnFloatVectorQuery(F_VECTOR, queryVector, n, filter), n).scoreDocs);
    }

    /** The dot product of the chunk's stored unit vector with the query's: their cosine similarity. */
    static double similarity(IndexSearcher searcher, int doc, float[] queryVector) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VECTOR);
        int local = doc - leaf.docBase;
        if (values == null || values.advance(local) != local) {
            return Double.NaN;
        }
        return VectorUtil.dotProduct(values.vectorValue(), queryVector);
    }

    private static List<Scored> scored(ScoreDoc[] docs) {
        List<Scored> out = new ArrayList<>(docs.length);
        for (ScoreDoc d : docs) {
            out.add(new Scored(d.doc, d.score));
        }
        return out;
    }

    /** Every {@code key=value} must match; null for no filters. */
    static @Nullable Query filter(Map<String, String> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        filters.forEach((k, v) -> b.add(new TermQuery(new Term(F_META_PREFIX + k, v)), BooleanClause.Occur.FILTER));
        return b.build();
    }

    static Chunk chunk(IndexSearcher searcher, int doc) throws IOException {
        StoredFields fields = searcher.storedFields();
        Document d = fields.document(doc);
        String heading = d.get("heading");
        Map<String, String> meta = new LinkedHashMap<>();
        JsonNode node = Json.parse(d.get("meta"));
        node.fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        return new Chunk(
                DocumentId.of(d.get(F_DOC_ID)),
                d.getField("chunk").numericValue().intValue(),
                d.get("title"),
                d.get("source"),
                heading == null || heading.isEmpty() ? List.of() : List.of(heading.split(HEADING_SEPARATOR, -1)),
                d.getField("page").numericValue().intValue(),
                d.get("text"),
                meta);
    }

    /** Number of live chunks. */
    int chunkCount() {
        IndexSearcher s = acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            release(s);
        }
    }

    private IndexSearcher acquire() {
        try {
            searchers.maybeRefresh();
            return searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a searcher on " + name, e);
        }
    }

    private void release(IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes without committing: whatever was not committed is lost, as in a crash. */
    void abandon() {
        try {
            searchers.close();
            if (writer != null) {
                writer.rollback();
            }
        } catch (IOException e) {
            // Closing after a simulated crash; nothing to keep.
        } finally {
            closeQuietly(directory);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            if (writer != null) {
                writer.close();
            }
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the index of " + name, e);
        }
    }

    private static void closeQuietly(@Nullable Directory d) {
        if (d != null) {
            try {
                d.close();
            } catch (IOException e) {
                // Already failing; the first error is the one reported.
            }
        }
    }
}
