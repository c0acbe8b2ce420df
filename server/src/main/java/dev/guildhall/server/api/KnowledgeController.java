package dev.guildhall.server.api;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.collection.CollectionAlreadyExistsException;
import dev.guildhall.knowledge.collection.CollectionName;
import dev.guildhall.knowledge.collection.DocumentId;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.knowledge.collection.KnowledgeCollection;
import dev.guildhall.knowledge.collection.NewDocument;
import dev.guildhall.knowledge.collection.SearchHit;
import dev.guildhall.knowledge.collection.SearchMode;
import dev.guildhall.knowledge.collection.SearchRequest;
import dev.guildhall.knowledge.collection.StoredDocument;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import dev.guildhall.knowledge.ingest.DocumentParseException;
import dev.guildhall.server.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's workspace's knowledge collections (docs/KNOWLEDGE.md): create, list and delete
 * collections; add, replace, list and delete documents (the body is the document, its format is
 * the request's content type); search in bm25, vector or hybrid mode with metadata filters. Another
 * workspace's collection of the same name is a different collection, so it is never found here.
 */
@RestController
@RequestMapping("/api/v1/knowledge/collections")
class KnowledgeController {
    /** Content types a document may be sent as, and the format each means. */
    static final Map<String, DocumentFormat> FORMATS = Map.of(
            "text/plain", DocumentFormat.TEXT,
            "text/markdown", DocumentFormat.MARKDOWN,
            "text/html", DocumentFormat.HTML,
            "application/pdf", DocumentFormat.PDF);

    private final KnowledgeBase knowledge;
    private final AuditController.Recorder audit;

    KnowledgeController(KnowledgeBase knowledge, AuditController.Recorder audit) {
        this.knowledge = knowledge;
        this.audit = audit;
    }

    record CreateCollection(@Nullable String name) {}

    record CollectionView(String name, int documents, int chunks) {
        static CollectionView of(KnowledgeCollection c) {
            return new CollectionView(c.name().value(), c.documents().size(), c.chunkCount());
        }
    }

    record DocumentView(
            String id,
            String title,
            String source,
            String format,
            int chunks,
            long revision,
            Map<String, String> metadata) {
        static DocumentView of(StoredDocument d) {
            return new DocumentView(
                    d.id().value(),
                    d.title(),
                    d.source(),
                    d.format().label(),
                    d.chunks().size(),
                    d.revision(),
                    d.metadata());
        }
    }

    record Search(
            @Nullable String query,
            @Nullable String mode,
            @Nullable Integer k,
            @Nullable Map<String, String> filters) {}

    /** Where a hit comes from, enough to cite it. */
    record Citation(
            String document,
            String title,
            String source,
            List<String> heading,
            int page,
            int chunk,
            String location,
            Map<String, String> metadata) {}

    /**
     * @param score the mode's score (BM25, (1 + cosine) / 2, or the fused RRF score)
     * @param similarity cosine similarity to the query; absent in bm25 mode, which embeds nothing
     * @param bm25Rank rank in the BM25 list (hybrid only; absent when the chunk was not in it)
     * @param vectorRank rank in the vector list (hybrid only; absent when the chunk was not in it)
     */
    record Hit(
            int rank,
            double score,
            @Nullable Double similarity,
            @Nullable Integer bm25Rank,
            @Nullable Integer vectorRank,
            String text,
            Citation citation) {}

    record SearchResult(String collection, String query, String mode, int k, List<Hit> hits) {}

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_knowledge:read')")
    List<CollectionView> collections(@AuthenticationPrincipal Caller caller) {
        return knowledge.list(caller.workspace()).stream()
                .map(n -> CollectionView.of(knowledge.get(caller.workspace(), n)))
                .toList();
    }

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_knowledge:write')")
    ResponseEntity<CollectionView> create(
            @AuthenticationPrincipal Caller caller, @RequestBody CreateCollection body, HttpServletRequest http) {
        if (body.name() == null || body.name().isBlank()) {
            throw ProblemException.invalid("name", "name is required");
        }
        CollectionName name = name(body.name(), "name");
        KnowledgeCollection c;
        try {
            c = knowledge.create(caller.workspace(), name);
        } catch (CollectionAlreadyExistsException e) {
            throw new ProblemException(Problems.of(
                    HttpStatus.CONFLICT,
                    Problems.CONFLICT,
                    "Conflict",
                    "collection " + name.value() + " already exists"));
        }
        audit.record(caller, "knowledge.collection.create", name.value(), "", http);
        return ResponseEntity.created(URI.create("/api/v1/knowledge/collections/" + name.value()))
                .body(CollectionView.of(c));
    }

    @GetMapping("/{collection}")
    @PreAuthorize("hasAuthority('SCOPE_knowledge:read')")
    CollectionView collection(@AuthenticationPrincipal Caller caller, @PathVariable String collection) {
        return CollectionView.of(find(caller.workspace(), collection));
    }

    @DeleteMapping("/{collection}")
    @PreAuthorize("hasAuthority('SCOPE_knowledge:write')")
    ResponseEntity<Void> deleteCollection(
            @AuthenticationPrincipal Caller caller, @PathVariable String collection, HttpServletRequest http) {
        if (!knowledge.delete(caller.workspace(), existing(caller.workspace(), collection))) {
            throw ProblemException.notFound("Collection", collection);
        }
        audit.record(caller, "knowledge.collection.delete", collection, "", http);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{collection}/documents")
    @PreAuthorize("hasAuthority('SCOPE_knowledge:read')")
    List<DocumentView> documents(@AuthenticationPrincipal Caller caller, @PathVariable String collection) {
        KnowledgeCollection c = find(caller.workspace(), collection);
        return c.documents().stream()
                .map(s -> c.findDocument(s.id()).map(DocumentView::of).orElse(null))
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    @GetMapping("/{collection}/documents/{id}")
    @PreAuthorize("hasAuthority('SCOPE_knowledge:read')")
    DocumentView document(
            @AuthenticationPrincipal Caller caller, @PathVariable String collection, @PathVariable String id) {
        return find(caller.workspace(), collection)
                .findDocument(documentId(id))
                .map(DocumentView::of)
                .orElseThrow(() -> ProblemException.notFound("Document", id));
    }

    /**
     * Adds the document {@code id}, or replaces it (its old chunks go). The body is the document
     * itself; its content type says the format (text/plain, text/markdown, text/html,
     * application/pdf).
     */
    @PutMapping("/{collection}/documents/{id}")
    @PreAuthorize("hasAuthority('SCOPE_knowledge:write')")
    ResponseEntity<DocumentView> putDocument(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String collection,
            @PathVariable String id,
            @RequestHeader(name = "Content-Type", required = false) @Nullable String contentType,
            @RequestParam(required = false) @Nullable String title,
            @RequestParam(required = false) @Nullable String source,
            @RequestParam(name = "meta", required = false) @Nullable List<String> meta,
            @RequestBody(required = false) byte @Nullable [] body,
            HttpServletRequest http) {
        KnowledgeCollection c = find(caller.workspace(), collection);
        DocumentId documentId = documentId(id);
        DocumentFormat format = format(contentType);
        if (body == null || body.length == 0) {
            throw ProblemException.invalid("body", "the request body must be the document, and it is empty");
        }
        Map<String, String> metadata = metadata(meta);
        NewDocument document;
        try {
            document = new NewDocument(
                    documentId,
                    source == null || source.isBlank() ? id : source,
                    format,
                    body,
                    title == null || title.isBlank() ? null : title,
                    metadata);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("meta", e.getMessage());
        }
        boolean replaced = c.findDocument(documentId).isPresent();
        StoredDocument stored;
        try {
            stored = c.add(document);
        } catch (DocumentParseException e) {
            throw ProblemException.invalid("body", e.getMessage());
        }
        audit.record(
                caller,
                replaced ? "knowledge.document.replace" : "knowledge.document.add",
                collection + "/" + id,
                format.label() + ", " + stored.chunks().size() + " chunks",
                http);
        DocumentView view = DocumentView.of(stored);
        return replaced
                ? ResponseEntity.ok(view)
                : ResponseEntity.created(URI.create("/api/v1/knowledge/collections/" + collection + "/documents/" + id))
                        .body(view);
    }

    @DeleteMapping("/{collection}/documents/{id}")
    @PreAuthorize("hasAuthority('SCOPE_knowledge:write')")
    ResponseEntity<Void> deleteDocument(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String collection,
            @PathVariable String id,
            HttpServletRequest http) {
        if (!find(caller.workspace(), collection).delete(documentId(id))) {
            throw ProblemException.notFound("Document", id);
        }
        audit.record(caller, "knowledge.document.delete", collection + "/" + id, "", http);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{collection}/search")
    @PreAuthorize("hasAuthority('SCOPE_knowledge:read')")
    SearchResult search(
            @AuthenticationPrincipal Caller caller, @PathVariable String collection, @RequestBody Search body) {
        KnowledgeCollection c = find(caller.workspace(), collection);
        if (body.query() == null || body.query().isBlank()) {
            throw ProblemException.invalid("query", "query is required");
        }
        SearchMode mode;
        try {
            mode = body.mode() == null ? SearchMode.HYBRID : SearchMode.parse(body.mode());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("mode", e.getMessage());
        }
        int k = body.k() == null ? 5 : body.k();
        if (k < 1 || k > SearchRequest.MAX_K) {
            throw ProblemException.invalid("k", "k must be between 1 and " + SearchRequest.MAX_K + ", was " + k);
        }
        Map<String, String> filters = body.filters() == null ? Map.of() : body.filters();
        for (Map.Entry<String, String> f : filters.entrySet()) {
            if (f.getValue() == null) {
                throw ProblemException.invalid("filters", "filter " + f.getKey() + " needs a value");
            }
        }
        List<SearchHit> hits = c.search(new SearchRequest(body.query(), k, mode, filters));
        List<Hit> out = new java.util.ArrayList<>(hits.size());
        int rank = 1;
        for (SearchHit h : hits) {
            var chunk = h.chunk();
            out.add(new Hit(
                    rank++,
                    h.score(),
                    Double.isNaN(h.similarity()) ? null : h.similarity(),
                    mode == SearchMode.HYBRID && h.bm25Rank() > 0 ? h.bm25Rank() : null,
                    mode == SearchMode.HYBRID && h.vectorRank() > 0 ? h.vectorRank() : null,
                    chunk.text(),
                    new Citation(
                            chunk.documentId().value(),
                            chunk.title(),
                            chunk.source(),
                            chunk.headingPath(),
                            chunk.page(),
                            chunk.index(),
                            chunk.location(),
                            chunk.metadata())));
        }
        return new SearchResult(collection, body.query(), mode.name().toLowerCase(Locale.ROOT), k, out);
    }

    private KnowledgeCollection find(WorkspaceId workspace, String collection) {
        return knowledge
                .find(workspace, existing(workspace, collection))
                .orElseThrow(() -> ProblemException.notFound("Collection", collection));
    }

    /** A well-formed name of a collection the workspace has; anything else is 404, as is another workspace's. */
    private CollectionName existing(WorkspaceId workspace, String collection) {
        CollectionName name;
        try {
            name = CollectionName.of(collection);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Collection", collection);
        }
        if (!knowledge.exists(workspace, name)) {
            throw ProblemException.notFound("Collection", collection);
        }
        return name;
    }

    private static CollectionName name(String value, String field) {
        try {
            return CollectionName.of(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, e.getMessage());
        }
    }

    private static DocumentId documentId(String id) {
        try {
            return DocumentId.of(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("id", e.getMessage());
        }
    }

    private static DocumentFormat format(@Nullable String contentType) {
        String type =
                contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        DocumentFormat format = FORMATS.get(type);
        if (format == null) {
            throw new ProblemException(Problems.of(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    Problems.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    "a document must be sent as text/plain, text/markdown, text/html or application/pdf, was "
                            + (type.isEmpty() ? "no content type" : type)));
        }
        return format;
    }

    private static Map<String, String> metadata(@Nullable List<String> meta) {
        Map<String, String> out = new LinkedHashMap<>();
        if (meta == null) {
            return out;
        }
        for (String m : meta) {
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1) {
                throw ProblemException.invalid("meta", "meta must look like key=value, was \"" + m + "\"");
            }
            out.put(m.substring(0, eq).strip(), m.substring(eq + 1).strip());
        }
        return out;
    }
}
