package dev.guildhall.cli;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.gateway.EmbeddingProvider;
import dev.guildhall.knowledge.collection.CollectionName;
import dev.guildhall.knowledge.collection.DocumentId;
import dev.guildhall.knowledge.collection.Embedder;
import dev.guildhall.knowledge.collection.IndexBenchmark;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.knowledge.collection.KnowledgeCollection;
import dev.guildhall.knowledge.collection.NewDocument;
import dev.guildhall.knowledge.collection.RetrievalEvaluation;
import dev.guildhall.knowledge.collection.SearchHit;
import dev.guildhall.knowledge.collection.SearchMode;
import dev.guildhall.knowledge.collection.SearchRequest;
import dev.guildhall.knowledge.collection.StoredDocument;
import dev.guildhall.providers.GatewayConfig;
import dev.guildhall.providers.ollama.OllamaEmbeddingProvider;
import dev.guildhall.providers.openai.OpenAiEmbeddingProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code guildhall knowledge create|add|delete|search|rebuild|list|eval}. */
@Command(
        name = "knowledge",
        mixinStandardHelpOptions = true,
        description = "Per-workspace document collections: BM25, vector and hybrid search with citations.",
        subcommands = {
            KnowledgeCommand.Create.class,
            KnowledgeCommand.Add.class,
            KnowledgeCommand.Delete.class,
            KnowledgeCommand.Search.class,
            KnowledgeCommand.Rebuild.class,
            KnowledgeCommand.ListCommand.class,
            KnowledgeCommand.Eval.class,
            KnowledgeCommand.Bench.class
        })
final class KnowledgeCommand {
    @CommandLine.ParentCommand
    GuildhallCli root;

    @Option(
            names = "--workspace",
            defaultValue = "default",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Workspace the collections belong to (default: ${DEFAULT-VALUE}).")
    String workspace;

    @Option(
            names = "--embeddings",
            paramLabel = "SPEC",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Embedding model: in-process (bundled bge-small-en-v1.5-q), openai:MODEL or ollama:MODEL"
                    + " (default: $" + EMBEDDINGS_ENV + " or in-process).")
    String embeddings;

    static final String EMBEDDINGS_ENV = "GUILDHALL_KNOWLEDGE_EMBEDDINGS";
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(60);

    KnowledgeBase open() {
        return new KnowledgeBase(root.dataDir(), embedder());
    }

    /** For commands that only read: no Lucene write lock, so a concurrent add in another process is not blocked. */
    KnowledgeBase openReadOnly() {
        return KnowledgeBase.readOnly(root.dataDir(), embedder());
    }

    /**
     * The embedding model chosen with {@code --embeddings} or {@value #EMBEDDINGS_ENV}. Remote
     * providers take their URL and key from the gateway's variables (OPENAI_BASE_URL,
     * GUILDHALL_OPENAI_API_KEY / OPENAI_API_KEY, OLLAMA_BASE_URL).
     */
    Embedder embedder() {
        String spec = embeddings != null ? embeddings : root.env.getOrDefault(EMBEDDINGS_ENV, "in-process");
        spec = spec.strip();
        if (spec.isEmpty() || spec.equals("in-process")) {
            return Embedder.bgeSmallEnV15Quantized();
        }
        int colon = spec.indexOf(':');
        String provider = colon < 0 ? spec : spec.substring(0, colon);
        String model = colon < 0 ? "" : spec.substring(colon + 1).strip();
        if (model.isEmpty() || !(provider.equals("openai") || provider.equals("ollama"))) {
            throw new IllegalArgumentException(
                    "--embeddings must be in-process, openai:MODEL or ollama:MODEL, was \"" + spec + "\"");
        }
        EmbeddingProvider p = provider.equals("openai")
                ? new OpenAiEmbeddingProvider(
                        "openai",
                        blankToNull(root.env.get(GatewayConfig.OPENAI_BASE_URL)),
                        blankToNull(root.env.getOrDefault(
                                GatewayConfig.GUILDHALL_OPENAI_API_KEY, root.env.get(GatewayConfig.OPENAI_API_KEY))))
                : new OllamaEmbeddingProvider("ollama", blankToNull(root.env.get(GatewayConfig.OLLAMA_BASE_URL)));
        return Embedder.remote(p, model, REMOTE_TIMEOUT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    WorkspaceId workspaceId() {
        return WorkspaceId.of(workspace);
    }

    static Map<String, String> pairs(List<String> values, String option) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0 || eq == v.length() - 1) {
                throw new IllegalArgumentException(option + " must look like KEY=VALUE, was \"" + v + "\"");
            }
            out.put(v.substring(0, eq).strip(), v.substring(eq + 1).strip());
        }
        return out;
    }

    abstract static class Sub implements Runnable {
        @CommandLine.ParentCommand
        KnowledgeCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public void run() {
            try (KnowledgeBase kb = readsOnly() ? parent.openReadOnly() : parent.open()) {
                run(kb, parent.workspaceId());
            }
        }

        /** Whether the command only searches (then it opens indexes with a reader only). */
        boolean readsOnly() {
            return false;
        }

        abstract void run(KnowledgeBase kb, WorkspaceId workspace);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an empty collection.")
    static final class Create extends Sub {
        @Parameters(index = "0", paramLabel = "COLLECTION", description = "Name: lower-case letters, digits, - and _.")
        String collection;

        @Override
        void run(KnowledgeBase kb, WorkspaceId workspace) {
            kb.create(workspace, CollectionName.of(collection));
            out().println("created collection " + collection + " in workspace " + workspace);
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add (or replace) documents: .txt, .md, .html or .pdf files.")
    static final class Add extends Sub {
        @Parameters(index = "0", paramLabel = "COLLECTION")
        String collection;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Option(
                names = "--id",
                description = "Document id (default: the file name); an existing document with it is replaced.")
        String id;

        @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata for filters (repeatable).")
        List<String> meta = new ArrayList<>();

        @Override
        void run(KnowledgeBase kb, WorkspaceId workspace) {
            if (id != null && files.size() > 1) {
                throw new IllegalArgumentException("--id needs exactly one file, was given " + files.size());
            }
            Map<String, String> metadata = pairs(meta, "--meta");
            List<NewDocument> docs = new ArrayList<>();
            for (Path f : files) {
                docs.add(NewDocument.fromFile(f, id == null ? null : DocumentId.of(id), metadata));
            }
            KnowledgeCollection c = kb.get(workspace, CollectionName.of(collection));
            List<DocumentId> existing = c.documents().stream()
                    .map(KnowledgeCollection.DocumentSummary::id)
                    .toList();
            for (StoredDocument d : c.addAll(docs)) {
                out().printf(
                                "%s %s (%s, %d chunks, \"%s\")%n",
                                existing.contains(d.id()) ? "replaced" : "added",
                                d.id(),
                                d.format().label(),
                                d.chunks().size(),
                                d.title());
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete documents and all their chunks.")
    static final class Delete extends Sub {
        @Parameters(index = "0", paramLabel = "COLLECTION")
        String collection;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "DOCUMENT_ID")
        List<String> ids;

        @Override
        void run(KnowledgeBase kb, WorkspaceId workspace) {
            KnowledgeCollection c = kb.get(workspace, CollectionName.of(collection));
            List<String> missing = new ArrayList<>();
            for (String id : ids) {
                if (c.delete(DocumentId.of(id))) {
                    out().println("deleted " + id);
                } else {
                    missing.add(id);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("no document " + String.join(", ", missing) + " in collection "
                        + collection + " of workspace " + workspace);
            }
        }
    }

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = "Search a collection; prints scores and citations.")
    static final class Search extends Sub {
        @Parameters(index = "0", paramLabel = "COLLECTION")
        String collection;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "QUERY")
        List<String> query;

        @Option(
                names = "--mode",
                defaultValue = "hybrid",
                description = "bm25, vector or hybrid (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "-k", defaultValue = "5", description = "How many hits (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(
                names = "--filter",
                paramLabel = "KEY=VALUE",
                description = "Metadata every hit must have (repeatable).")
        List<String> filters = new ArrayList<>();

        @Override
        boolean readsOnly() {
            return true;
        }

        @Override
        void run(KnowledgeBase kb, WorkspaceId workspace) {
            SearchRequest request =
                    new SearchRequest(String.join(" ", query), k, SearchMode.parse(mode), pairs(filters, "--filter"));
            KnowledgeCollection c = kb.get(workspace, CollectionName.of(collection));
            List<SearchHit> hits = c.search(request);
            PrintWriter out = out();
            if (hits.isEmpty()) {
                out.println("no hits in " + collection + " for \"" + request.query() + "\"");
                return;
            }
            int rank = 1;
            for (SearchHit h : hits) {
                out.printf(
                        "%d. score=%.4f  [%s] %s — %s%s%n",
                        rank++,
                        h.score(),
                        h.chunk().documentId(),
                        h.chunk().title(),
                        h.chunk().location(),
                        ranks(h, request.mode()));
                out.println("   " + excerpt(h.chunk().text()));
                out.println("   source: " + h.chunk().source());
            }
        }

        private static String ranks(SearchHit h, SearchMode mode) {
            if (mode != SearchMode.HYBRID) {
                return "";
            }
            return "  (bm25 " + (h.bm25Rank() == 0 ? "-" : "#" + h.bm25Rank()) + ", vector "
                    + (h.vectorRank() == 0 ? "-" : "#" + h.vectorRank()) + ")";
        }

        private static String excerpt(String text) {
            String t = text.replaceAll("\\s+", " ");
            return t.length() <= 300 ? t : t.substring(0, 297) + "...";
        }
    }

    @Command(
            name = "rebuild",
            mixinStandardHelpOptions = true,
            description = "Rebuild a collection's index from its stored chunks (re-embedding if the model changed).")
    static final class Rebuild extends Sub {
        @Parameters(index = "0", paramLabel = "COLLECTION")
        String collection;

        @Override
        void run(KnowledgeBase kb, WorkspaceId workspace) {
            KnowledgeCollection c = kb.rebuild(workspace, CollectionName.of(collection));
            out().printf(
                            "rebuilt %s: %d documents, %d chunks indexed (%d re-embedded with %s)%n",
                            collection,
                            c.openedWith().reindexed(),
                            c.chunkCount(),
                            c.openedWith().reembedded(),
                            c.embedder());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the workspace's collections, or the documents of one.")
    static final class ListCommand extends Sub {
        @Parameters(index = "0", arity = "0..1", paramLabel = "COLLECTION")
        String collection;

        @Override
        void run(KnowledgeBase kb, WorkspaceId workspace) {
            PrintWriter out = out();
            if (collection == null) {
                List<CollectionName> names = kb.list(workspace);
                if (names.isEmpty()) {
                    out.println("no collections in workspace " + workspace);
                }
                for (CollectionName n : names) {
                    KnowledgeCollection c = kb.get(workspace, n);
                    out.printf(
                            "%-24s %5d documents %7d chunks%n", n, c.documents().size(), c.chunkCount());
                }
                return;
            }
            KnowledgeCollection c = kb.get(workspace, CollectionName.of(collection));
            List<KnowledgeCollection.DocumentSummary> docs = c.documents();
            if (docs.isEmpty()) {
                out.println("no documents in " + collection);
            }
            for (KnowledgeCollection.DocumentSummary d : docs) {
                out.printf(
                        "%-32s %-8s %4d chunks  \"%s\"  %s%n", d.id(), d.format(), d.chunks(), d.title(), d.source());
            }
        }
    }

    @Command(
            name = "eval",
            mixinStandardHelpOptions = true,
            description =
                    "Retrieval quality (recall@k and MRR per mode) on documents and questions with known answers.")
    static final class Eval implements Runnable {
        @CommandLine.ParentCommand
        KnowledgeCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--docs",
                paramLabel = "DIR",
                description = "Documents (default: examples/knowledge/fernway-bank/docs under GUILDHALL_HOME).")
        Path docs;

        @Option(
                names = "--questions",
                paramLabel = "CSV",
                description = "question,document rows (default: the questions.csv beside the default docs).")
        Path questions;

        @Option(names = "-k", defaultValue = "5", description = "Cut-off for recall (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--misses", description = "Also print the questions each mode missed.")
        boolean misses;

        @Override
        public void run() {
            String h = parent.root.env.get("GUILDHALL_HOME");
            Path example = Path.of(h == null || h.isBlank() ? "." : h).resolve("examples/knowledge/fernway-bank");
            Path docsDir = docs != null ? docs : example.resolve("docs");
            Path questionsFile = questions != null ? questions : example.resolve("questions.csv");
            List<RetrievalEvaluation.Question> qs = RetrievalEvaluation.readQuestions(questionsFile);
            PrintWriter out = spec.commandLine().getOut();
            Path tmp;
            try {
                tmp = Files.createTempDirectory("guildhall-knowledge-eval");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (KnowledgeBase kb = new KnowledgeBase(tmp, parent.embedder())) {
                KnowledgeCollection c = kb.create(WorkspaceId.of("eval"), CollectionName.of("eval"));
                int n = RetrievalEvaluation.addDirectory(c, docsDir);
                out.printf(
                        "%d documents (%d chunks) from %s, %d questions from %s, embeddings: %s%n",
                        n, c.chunkCount(), docsDir, qs.size(), questionsFile, c.embedder());
                for (SearchMode mode : SearchMode.values()) {
                    RetrievalEvaluation.Figures f = RetrievalEvaluation.evaluate(c, qs, mode, k);
                    out.println(f.line());
                    if (misses) {
                        f.misses().forEach(m -> out.println("  missed: " + m));
                    }
                }
            } finally {
                deleteTree(tmp);
            }
        }

        static void deleteTree(Path dir) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // A temporary directory left behind is harmless.
            }
        }
    }

    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            description = "Indexing throughput and search latency on synthetic chunks (random vectors; the real"
                    + " model's embedding speed measured separately on a sample).")
    static final class Bench implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--chunks",
                defaultValue = "100000",
                description = "Chunks to index (default: ${DEFAULT-VALUE}).")
        int chunks;

        @Option(
                names = "--chunks-per-doc",
                defaultValue = "10",
                description = "Chunks per document (default: ${DEFAULT-VALUE}).")
        int chunksPerDoc;

        @Option(
                names = "--docs-per-commit",
                defaultValue = "500",
                description = "Documents per add (one index commit each; default: ${DEFAULT-VALUE}).")
        int docsPerCommit;

        @Option(
                names = "--queries",
                defaultValue = "1000",
                description = "Timed queries per mode, after a warm-up (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "-k", defaultValue = "10", description = "Hits per query (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(
                names = "--embed-sample",
                defaultValue = "256",
                description =
                        "Chunks embedded with the real model to measure its speed; 0 to skip (default: ${DEFAULT-VALUE}).")
        int embedSample;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Where to build the collection (default: a temporary directory, deleted afterwards).")
        Path dir;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            IndexBenchmark.Options options =
                    new IndexBenchmark.Options(chunks, chunksPerDoc, docsPerCommit, queries, k, embedSample, 42);
            Path where = dir;
            try {
                if (where == null) {
                    where = Files.createTempDirectory("guildhall-knowledge-bench");
                } else if (Files.exists(where.resolve("knowledge"))) {
                    throw new IllegalArgumentException(
                            where + " already holds a knowledge directory; give an empty --dir");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.printf(
                    "knowledge bench: %,d chunks, %d per document, %d documents per commit, %d queries per mode, k=%d,"
                            + " %d CPUs, max heap %d MB, data in %s%n",
                    chunks,
                    chunksPerDoc,
                    docsPerCommit,
                    queries,
                    k,
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20,
                    where);
            out.flush();
            try {
                IndexBenchmark.Result r = IndexBenchmark.run(
                        where, options, embedSample > 0 ? Embedder.bgeSmallEnV15Quantized() : null, out);
                out.println(r.line());
            } finally {
                if (dir == null) {
                    Eval.deleteTree(where);
                }
            }
        }
    }
}
