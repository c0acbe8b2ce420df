package dev.guildhall.knowledge.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.json.Json;
import dev.guildhall.knowledge.ingest.DocumentFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One JSON file per document, named {@code <encoded id>.<revision>.json}, so that listing the
 * directory gives every document's revision without reading a file. A write goes to a temporary
 * file, is forced to disk, renamed into place atomically and the directory forced; only then is the
 * previous revision's file removed. After a crash in between, the higher revision wins and the
 * lower one is removed on the next listing. Vectors are stored as base64 little-endian floats.
 */
public final class FileChunkStore implements ChunkStore {
    static final int FORMAT_VERSION = 1;
    private static final Pattern FILE = Pattern.compile("(.+)\\.(\\d+)\\.json");
    private static final int MAX_PLAIN_NAME = 160;

    private final Path dir;

    /**
     * The current file of every document, loaded by the first listing. The collection's single
     * writer (Lucene's write lock guards it across processes) keeps it exact.
     */
    private final Map<DocumentId, Path> current = new ConcurrentHashMap<>();

    private volatile boolean listed;

    public FileChunkStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Map<DocumentId, Long> revisions() {
        Map<DocumentId, Long> revisions = new HashMap<>();
        Map<DocumentId, Path> files = new HashMap<>();
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Iterator<Path> it = list.iterator(); it.hasNext(); ) {
                Path file = it.next();
                String name = file.getFileName().toString();
                if (name.startsWith(".tmp-")) {
                    stale.add(file);
                    continue;
                }
                Matcher m = FILE.matcher(name);
                if (!m.matches()) {
                    continue;
                }
                DocumentId id = idOf(m.group(1), file);
                long revision = Long.parseLong(m.group(2));
                Long previous = revisions.get(id);
                if (previous == null || previous < revision) {
                    if (previous != null) {
                        stale.add(files.get(id));
                    }
                    revisions.put(id, revision);
                    files.put(id, file);
                } else {
                    stale.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path file : stale) {
            deleteQuietly(file);
        }
        current.clear();
        current.putAll(files);
        listed = true;
        return revisions;
    }

    private void ensureListed() {
        if (!listed) {
            synchronized (this) {
                if (!listed) {
                    revisions();
                }
            }
        }
    }

    @Override
    public Optional<StoredDocument> find(DocumentId id) {
        ensureListed();
        Path file = current.get(id);
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void put(StoredDocument document) {
        String base = encode(document.id());
        Path target = dir.resolve(base + "." + document.revision() + ".json");
        Path tmp = dir.resolve(".tmp-" + base + "." + document.revision());
        ensureListed();
        Path previous = current.get(document.id());
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(write(document).getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target, e);
        }
        current.put(document.id(), target);
        if (previous != null && !previous.equals(target)) {
            deleteQuietly(previous);
        }
    }

    @Override
    public boolean delete(DocumentId id) {
        ensureListed();
        Path file = current.remove(id);
        if (file == null) {
            return false;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            current.put(id, file);
            throw new UncheckedIOException("cannot delete " + file, e);
        }
        forceDirectory();
        return true;
    }

    private DocumentId idOf(String encoded, Path file) {
        if (encoded.startsWith("~")) {
            try {
                return DocumentId.of(
                        Json.mapper().readTree(file.toFile()).get("id").asText());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return DocumentId.of(decode(encoded));
    }

    /** Letters, digits, '-' and '_' stay; every other byte becomes %XX; long ids become a hash. */
    static String encode(DocumentId id) {
        return encode(id.value());
    }

    /** The same escaping for any name used as a file or directory name (workspace ids too). */
    static String encode(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        if (sb.length() <= MAX_PLAIN_NAME) {
            return sb.toString();
        }
        try {
            return "~"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String decode(String encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String write(StoredDocument d) {
        ObjectNode root = Json.object();
        root.put("format_version", FORMAT_VERSION);
        root.put("id", d.id().value());
        root.put("revision", d.revision());
        root.put("title", d.title());
        root.put("source", d.source());
        root.put("format", d.format().label());
        ObjectNode meta = root.putObject("metadata");
        d.metadata().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> meta.put(e.getKey(), e.getValue()));
        root.put("model", d.model());
        root.put("dimension", d.dimension());
        ArrayNode chunks = root.putArray("chunks");
        for (int i = 0; i < d.chunks().size(); i++) {
            Chunk c = d.chunks().get(i);
            ObjectNode n = chunks.addObject();
            n.put("index", c.index());
            ArrayNode heading = n.putArray("heading");
            c.headingPath().forEach(heading::add);
            n.put("page", c.page());
            n.put("text", c.text());
            n.put("vector", encodeVector(d.vectors().get(i)));
        }
        return Json.write(root);
    }

    static StoredDocument read(String json) {
        JsonNode root = Json.parse(json);
        int version = root.path("format_version").asInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalStateException("chunk file format_version must be " + FORMAT_VERSION + ", was " + version);
        }
        DocumentId id = DocumentId.of(root.get("id").asText());
        String title = root.get("title").asText();
        String source = root.get("source").asText();
        DocumentFormat format =
                DocumentFormat.valueOf(root.get("format").asText().toUpperCase(Locale.ROOT));
        Map<String, String> metadata = new LinkedHashMap<>();
        root.path("metadata")
                .fields()
                .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        Map<String, String> chunkMeta = chunkMetadata(metadata, source, format);
        List<Chunk> chunks = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (JsonNode n : root.get("chunks")) {
            List<String> heading = new ArrayList<>();
            n.path("heading").forEach(h -> heading.add(h.asText()));
            chunks.add(new Chunk(
                    id,
                    n.get("index").asInt(),
                    title,
                    source,
                    heading,
                    n.path("page").asInt(),
                    n.get("text").asText(),
                    chunkMeta));
            vectors.add(decodeVector(n.get("vector").asText()));
        }
        return new StoredDocument(
                id,
                root.get("revision").asLong(),
                title,
                source,
                format,
                metadata,
                chunks,
                root.get("model").asText(),
                root.get("dimension").asInt(),
                vectors);
    }

    /** What a chunk's filters see: the document's metadata plus its source and format. */
    static Map<String, String> chunkMetadata(Map<String, String> metadata, String source, DocumentFormat format) {
        Map<String, String> out = new LinkedHashMap<>(metadata);
        out.put("source", source);
        out.put("format", format.label());
        return out;
    }

    static String encodeVector(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            buf.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(buf.array());
    }

    static float[] decodeVector(String s) {
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[buf.remaining() / Float.BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getFloat();
        }
        return v;
    }

    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for syncing; the rename is still atomic there.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A leftover is removed again on the next listing.
        }
    }
}
