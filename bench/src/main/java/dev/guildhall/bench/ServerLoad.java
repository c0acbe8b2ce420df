package dev.guildhall.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-model load harness for a running Guildhall server: requests go out at a constant arrival
 * rate whether or not earlier ones have answered, and each latency is measured from when the request
 * was due, not when it was sent, so a stalled server cannot hide its stall (no coordinated omission).
 * It signs in, then drives {@code GET /api/v1/agents} and {@code POST /api/v1/runs} in turn, each
 * after a warm-up, and prints p50/p99/max and the achieved throughput. {@code scripts/load-server.sh}
 * starts a server on a fresh data directory and runs this.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.guildhall.bench.ServerLoad BASE_URL PASSWORD [RATE] [SECONDS] [WARMUP_SECONDS] [WORKFLOW]</pre>
 */
public final class ServerLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Requests in flight at most, hence connections at most: a browser or a proxy keeps a pool too.
     * Without a bound the client opened a new connection for every request while the server was
     * busy, and a few hundred connections (and Tomcat threads) on two cores made a short stall a
     * collapse.
     */
    static final int MAX_IN_FLIGHT = Integer.getInteger("load.maxInFlight", 64);

    private ServerLoad() {}

    /** One scenario's outcome. */
    record Result(String name, int rate, long sent, long ok, long failed, double seconds, Histogram latency) {
        String line() {
            return String.format(
                    "%-22s target %4d/s  achieved %6.1f/s  ok %6d  failed %4d  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms",
                    name,
                    rate,
                    ok / seconds,
                    ok,
                    failed,
                    ms(latency.getValueAtPercentile(50)),
                    ms(latency.getValueAtPercentile(99)),
                    ms(latency.getValueAtPercentile(99.9)),
                    ms(latency.getMaxValue()));
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ServerLoad BASE_URL PASSWORD [RATE] [SECONDS] [WARMUP_SECONDS] [WORKFLOW]");
            System.exit(2);
        }
        String base = args[0];
        String password = args[1];
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        String workflow = args.length > 5 ? args[5] : "noop";

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String token = login(client, base, password);

        HttpRequest agents = HttpRequest.newBuilder(URI.create(base + "/api/v1/agents"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workflow", workflow);
        body.put("input", Map.of("message", "load test"));
        HttpRequest startRun = HttpRequest.newBuilder(URI.create(base + "/api/v1/runs"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();

        System.out.printf(
                "open model: %d requests/s for %d s each after %d s of warm-up, against %s%n",
                rate, seconds, warmup, base);
        Result a = scenario(client, "GET /api/v1/agents", agents, 200, rate, seconds, warmup);
        System.out.println(a.line());
        Result r = scenario(client, "POST /api/v1/runs", startRun, 201, rate, seconds, warmup);
        System.out.println(r.line());
    }

    private static String login(HttpClient client, String base, String password) throws Exception {
        String login = JSON.writeValueAsString(Map.of("username", "admin", "password", password));
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(login))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("accessToken").asText();
    }

    /** Warm-up at the same rate (not recorded), then the measured period. */
    static Result scenario(
            HttpClient client, String name, HttpRequest request, int expected, int rate, int seconds, int warmup)
            throws InterruptedException {
        drive(client, request, expected, rate, warmup, new Recorder(3));
        Recorder recorder = new Recorder(3);
        long[] counts = drive(client, request, expected, rate, seconds, recorder);
        return new Result(name, rate, counts[0], counts[1], counts[2], seconds, recorder.getIntervalHistogram());
    }

    /** Sends at fixed intervals for {@code seconds}; returns sent, ok, failed once every answer is in. */
    private static long[] drive(
            HttpClient client, HttpRequest request, int expected, int rate, int seconds, Recorder recorder)
            throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long total = (long) rate * seconds;
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.ConcurrentHashMap<String, AtomicLong> why = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<?>[] pending = new CompletableFuture<?>[(int) total];
        Semaphore connections = new Semaphore(MAX_IN_FLIGHT);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            // A request that finds every connection busy waits for one; its latency still counts
            // from when it was due, so the wait is measured, not omitted.
            connections.acquireUninterruptibly();
            pending[i] = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        connections.release();
                        recorder.recordValue(Math.max(0, System.nanoTime() - due));
                        if (error == null && response.statusCode() == expected) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            String reason = error != null
                                    ? rootCause(error).getClass().getSimpleName()
                                    : "HTTP " + response.statusCode();
                            why.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
                        }
                    });
        }
        try {
            CompletableFuture.allOf(pending).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Counted as failed above; a timeout leaves the rest uncounted, which the figures show.
        }
        if (!why.isEmpty()) {
            System.out.println("  failures: " + new java.util.TreeMap<>(why));
        }
        return new long[] {total, ok.get(), failed.get()};
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
