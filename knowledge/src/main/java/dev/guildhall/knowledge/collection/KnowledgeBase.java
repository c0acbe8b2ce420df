package dev.guildhall.knowledge.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.knowledge.KnowledgeSearch;
import dev.guildhall.knowledge.ingest.Chunker;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every workspace's collections under one data directory:
 *
 * <pre>
 * {data}/knowledge/{workspace}/{collection}/collection.json   name and workspace
 *                                          /chunks/           the chunk store (source of truth)
 *                                          /index/            the Lucene index, rebuildable
 * </pre>
 *
 * Collections are opened on first use and stay open (holding Lucene's write lock) until {@link
 * #close}. Thread-safe.
 */
public final class KnowledgeBase implements Closeable {
    private final Path root;
    private final Embedder embedder;
    private final Chunker chunker;
    private final Map<String, KnowledgeCollection> open = new HashMap<>();
    private final boolean readOnly;

    public KnowledgeBase(Path dataDir, Embedder embedder, Chunker chunker) {
        this(dataDir, embedder, chunker, false);
    }

    private KnowledgeBase(Path dataDir, Embedder embedder, Chunker chunker, boolean readOnly) {
        this.root = Checks.notNull(dataDir, "dataDir").resolve("knowledge");
        this.embedder = Checks.notNull(embedder, "embedder");
        this.chunker = Checks.notNull(chunker, "chunker");
        this.readOnly = readOnly;
    }

    /**
     * A knowledge base that only searches: collections open Lucene's latest commit with a reader,
     * never its writer, so a search does not hold the write lock that another process adding
     * documents needs (and sees what that process has committed). Nothing is repaired on open;
     * create, add, delete and rebuild throw {@link IllegalStateException}.
     */
    public static KnowledgeBase readOnly(Path dataDir, Embedder embedder) {
        return new KnowledgeBase(dataDir, embedder, Chunker.defaults(), true);
    }

    public KnowledgeBase(Path dataDir, Embedder embedder) {
        this(dataDir, embedder, Chunker.defaults());
    }

    public Embedder embedder() {
        return embedder;
    }

    /**
     * Creates an empty collection.
     *
     * @throws CollectionAlreadyExistsException when the workspace already has one of that name
     */
    public synchronized KnowledgeCollection create(WorkspaceId workspace, CollectionName name) {
        requireWritable();
        Path dir = dir(workspace, name);
        if (Files.exists(dir.resolve("collection.json"))) {
            throw new CollectionAlreadyExistsException(workspace, name);
        }
        try {
            // A directory without collection.json is what a crashed delete left behind.
            deleteTree(dir);
            Files.createDirectories(dir);
            ObjectNode info = Json.object();
            info.put("workspace", workspace.value());
            info.put("name", name.value());
            Path tmp = dir.resolve("collection.json.tmp");
            Files.writeString(tmp, Json.write(info), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("collection.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create collection " + name + " in " + dir, e);
        }
        return get(workspace, name);
    }

    public synchronized boolean exists(WorkspaceId workspace, CollectionName name) {
        return Files.isRegularFile(dir(workspace, name).resolve("collection.json"));
    }

    /** The workspace's collections, by name. */
    public synchronized List<CollectionName> list(WorkspaceId workspace) {
        Path ws = root.resolve(FileChunkStore.encode(workspace.value()));
        if (!Files.isDirectory(ws)) {
            return List.of();
        }
        List<CollectionName> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ws)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("collection.json")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .forEach(n -> out.add(CollectionName.of(n)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + ws, e);
        }
        out.sort(Comparator.comparing(CollectionName::value));
        return out;
    }

    public synchronized Optional<KnowledgeCollection> find(WorkspaceId workspace, CollectionName name) {
        String key = key(workspace, name);
        KnowledgeCollection c = open.get(key);
        if (c != null) {
            return Optional.of(c);
        }
        if (!exists(workspace, name)) {
            return Optional.empty();
        }
        Path dir = dir(workspace, name);
        c = KnowledgeCollection.open(
                workspace,
                name,
                new FileChunkStore(dir.resolve("chunks")),
                dir.resolve("index"),
                embedder,
                chunker,
                readOnly);
        open.put(key, c);
        return Optional.of(c);
    }

    /**
     * The collection, opened (and its index repaired from the chunk store) if need be.
     *
     * @throws NotFoundException when the workspace has no such collection
     * @throws IndexNeedsRebuildException when its index is damaged or from another model
     */
    public KnowledgeCollection get(WorkspaceId workspace, CollectionName name) {
        return find(workspace, name).orElseThrow(() -> new NotFoundException("collection", workspace + "/" + name));
    }

    /**
     * Throws the index away and builds it again from the chunk store, embedding again every chunk
     * whose stored vector comes from another model than this knowledge base's.
     */
    public synchronized KnowledgeCollection rebuild(WorkspaceId workspace, CollectionName name) {
        requireWritable();
        if (!exists(workspace, name)) {
            throw new NotFoundException("collection", workspace + "/" + name);
        }
        KnowledgeCollection c = open.remove(key(workspace, name));
        if (c != null) {
            c.close();
        }
        deleteTree(dir(workspace, name).resolve("index"));
        return get(workspace, name);
    }

    /**
     * Deletes a collection: its documents, chunks and index.
     *
     * @return whether it existed
     */
    public synchronized boolean delete(WorkspaceId workspace, CollectionName name) {
        requireWritable();
        if (!exists(workspace, name)) {
            return false;
        }
        KnowledgeCollection c = open.remove(key(workspace, name));
        if (c != null) {
            c.close();
        }
        Path dir = dir(workspace, name);
        try {
            // collection.json first: a crash half-way leaves a directory no one lists or opens.
            Files.delete(dir.resolve("collection.json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete collection " + workspace + "/" + name, e);
        }
        deleteTree(dir);
        return true;
    }

    private void requireWritable() {
        if (readOnly) {
            throw new IllegalStateException("this knowledge base was opened read-only");
        }
    }

    /** Search bound to one workspace: it sees that workspace's collections and nothing else. */
    public KnowledgeSearch searchFor(WorkspaceId workspace) {
        return new WorkspaceKnowledgeSearch(this, workspace, SearchMode.HYBRID);
    }

    Path dir(WorkspaceId workspace, CollectionName name) {
        return root.resolve(FileChunkStore.encode(workspace.value())).resolve(name.value());
    }

    private static String key(WorkspaceId workspace, CollectionName name) {
        return workspace.value() + "\u0000" + name.value();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (KnowledgeCollection c : open.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
