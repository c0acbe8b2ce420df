package dev.guildhall.bus.redis;

import static org.assertj.core.api.Assertions.fail;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The local Redis the Redis tests use, with a key prefix of their own that {@link #close()} deletes.
 * When Redis is not reachable the calling test is skipped, or fails when {@code
 * GUILDHALL_REQUIRE_SERVICES=true} (as CI sets it), so a missing service never passes silently there.
 */
final class RedisTestServer implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;
    static final String URI = "redis://%s:%d".formatted(HOST, PORT);
    static final String REQUIRE_SERVICES = "GUILDHALL_REQUIRE_SERVICES";

    private final String keyPrefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisTestServer(String keyPrefix) {
        this.keyPrefix = keyPrefix;
        this.client = RedisClient.create(URI);
        this.connection = client.connect();
    }

    /** A raw connection and a fresh key prefix, or skips (or fails) the test when Redis is not reachable. */
    static RedisTestServer create(Class<?> testClass) {
        ping();
        String prefix = "guildhall-test:" + testClass.getSimpleName() + ":"
                + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + ":";
        return new RedisTestServer(prefix);
    }

    /** Settings for a bus under this server's prefix, quick enough for tests. */
    RedisBusSettings.Builder settings() {
        return RedisBusSettings.builder()
                .uri(URI)
                .keyPrefix(keyPrefix)
                .blockTimeout(Duration.ofMillis(100))
                .claimInterval(Duration.ofMillis(100))
                .claimMinIdle(Duration.ofMillis(500))
                .commandTimeout(Duration.ofSeconds(3))
                .closeTimeout(Duration.ofSeconds(2));
    }

    String keyPrefix() {
        return keyPrefix;
    }

    /** Commands on a raw connection, for what a test does behind the bus's back. */
    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    @Override
    public void close() {
        RedisCommands<String, String> redis = redis();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page =
                    redis.scan(cursor, ScanArgs.Builder.matches(keyPrefix + "*").limit(500));
            if (!page.getKeys().isEmpty()) {
                redis.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** A bare PING over a socket, so a missing server costs no client start-up. */
    private static void ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            if (!new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                unreachable(
                        new IOException("unexpected reply to PING: " + new String(reply, StandardCharsets.US_ASCII)));
            }
        } catch (IOException e) {
            unreachable(e);
        }
    }

    private static void unreachable(IOException cause) {
        String message =
                "Redis not reachable at %s (%s); start it with scripts/services.sh".formatted(URI, cause.getMessage());
        if (Boolean.parseBoolean(System.getenv(REQUIRE_SERVICES))) {
            fail(message + " (" + REQUIRE_SERVICES + "=true, so this fails instead of skipping)", cause);
        }
        Assumptions.assumeTrue(false, message);
    }
}
