package dev.guildhall.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.guildhall.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The common part of the fake model servers: a JDK {@link HttpServer} on 127.0.0.1 and an ephemeral
 * port, a queue of scripted {@link FakeReply replies} consumed one per request, and a record of every
 * request received. Subclasses render replies in one provider's wire format.
 *
 * <p>Thread-safe. Close it after the test; closing also releases requests that {@link FakeReply#hang() hang}.
 */
public abstract class FakeModelServer implements AutoCloseable {
    /** How long a hanging request waits at most, so that a forgotten server never blocks a build. */
    private static final Duration MAX_HANG = Duration.ofSeconds(30);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedDeque<FakeReply> replies = new ConcurrentLinkedDeque<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    protected FakeModelServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a fake server", e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, getClass().getSimpleName() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** Queues replies; each request takes the next one. Returns this server for chaining. */
    public FakeModelServer enqueue(FakeReply... next) {
        replies.addAll(List.of(next));
        return this;
    }

    /** The replies not yet consumed. */
    public int pendingReplies() {
        return replies.size();
    }

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public int requestCount() {
        return requests.size();
    }

    /** The most recent request. */
    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " received no request");
        }
        return requests.get(requests.size() - 1);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String rootUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** Answers one request whose body was recorded. */
    protected abstract void handle(HttpExchange exchange, RecordedRequest request) throws IOException;

    /** The next scripted reply, or null when none is left. */
    protected FakeReply nextReply() {
        return replies.pollFirst();
    }

    /** The next scripted reply if it is of one of {@code kinds}; otherwise null and the queue is untouched. */
    protected FakeReply nextReplyIf(FakeReply.Kind... kinds) {
        synchronized (replies) {
            FakeReply head = replies.peekFirst();
            if (head != null && List.of(kinds).contains(head.kind())) {
                return replies.pollFirst();
            }
            return null;
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RecordedRequest request = new RecordedRequest(
                    exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
            requests.add(request);
            handle(exchange, request);
        } catch (IOException e) {
            // The client went away (e.g. it timed out); nothing is left to answer.
        } catch (RuntimeException e) {
            // A bug in the fake itself: answer 500 with it so the test's failure says what went wrong.
            try {
                sendJson(exchange, 500, Json.object().put("error", "fake server failed: " + e));
            } catch (IOException | RuntimeException ignored) {
                // The response had already started; the client sees a broken stream instead.
            }
        }
    }

    /** Holds the request open until the server is closed. */
    protected void hang(HttpExchange exchange) {
        try {
            closed.await(MAX_HANG.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    protected static void sendJson(HttpExchange exchange, int status, JsonNode body, Map<String, String> extraHeaders)
            throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    protected static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        sendJson(exchange, status, body, Map.of());
    }

    /** Starts a chunked streamed response with {@code contentType}. */
    protected static OutputStream startStream(HttpExchange exchange, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    protected static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The retry-after header value for a reply, in whole seconds rounded up. */
    protected static Map<String, String> retryAfterHeader(FakeReply reply) {
        if (reply.retryAfter() == null) {
            return Map.of();
        }
        long millis = reply.retryAfter().toMillis();
        return Map.of("Retry-After", Long.toString((millis + 999) / 1000));
    }

    /** Splits an answer into stream chunks of about one word each, keeping every character. */
    protected static List<String> chunks(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i - 1) == ' ') {
                if (i > start) {
                    parts.add(text.substring(start, i));
                }
                start = i;
            }
        }
        return parts;
    }

    /** A deterministic unit-length vector for {@code text}, so equal texts embed equally. */
    protected static float[] vectorFor(String text, int dimension) {
        float[] v = new float[dimension];
        long seed = text.hashCode();
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            v[i] = (float) (((seed >>> 33) % 2000) / 1000.0 - 1.0);
            norm += v[i] * v[i];
        }
        double n = Math.sqrt(norm) == 0 ? 1 : Math.sqrt(norm);
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) (v[i] / n);
        }
        return v;
    }

    protected static ArrayNode toJsonArray(float[] vector) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (float f : vector) {
            array.add(f);
        }
        return array;
    }

    /** The input texts of an embeddings request: a string or an array of strings under {@code field}. */
    protected static List<String> inputs(JsonNode body, String field) {
        JsonNode input = body.path(field);
        List<String> texts = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(n -> texts.add(n.asText()));
        } else if (!input.isMissingNode()) {
            texts.add(input.asText());
        }
        return texts;
    }
}
