package dev.guildhall.bus.redis;

import dev.guildhall.core.GuildhallException;
import dev.guildhall.core.bus.EventBusFailedException;
import dev.guildhall.core.bus.EventBusUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.util.List;

/** The one place that turns a Lettuce exception into a retryable or non-retryable bus exception. */
final class RedisErrors {
    /** Error replies that a later attempt may not get: the server is starting, busy or failing over. */
    private static final List<String> TRANSIENT_REPLIES =
            List.of("LOADING", "BUSY ", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY", "NOREPLICAS", "UNBLOCKED");

    private RedisErrors() {}

    /**
     * Retryable unless Redis answered with an error that will repeat (a wrong type, an unknown
     * command, a refused permission): a lost or refused connection, a timeout, an interrupted command
     * or a server that is loading or failing over may all work later.
     */
    static GuildhallException map(String operation, String server, RedisException e) {
        String message = "%s (Redis at %s)".formatted(e.getMessage(), server);
        if (e instanceof RedisCommandExecutionException && !isTransientReply(e.getMessage())) {
            return new EventBusFailedException(operation, message, e);
        }
        return new EventBusUnavailableException(operation, message, e);
    }

    static boolean isTransientReply(String message) {
        return message != null && TRANSIENT_REPLIES.stream().anyMatch(message::startsWith);
    }

    static boolean isNoGroup(RuntimeException e) {
        return e instanceof RedisCommandExecutionException
                && e.getMessage() != null
                && e.getMessage().startsWith("NOGROUP");
    }

    /** A blocking read ended because its stream was deleted. */
    static boolean isUnblocked(RuntimeException e) {
        return e instanceof RedisCommandExecutionException
                && e.getMessage() != null
                && e.getMessage().startsWith("UNBLOCKED");
    }

    static boolean isBusyGroup(RedisException e) {
        return e instanceof RedisCommandExecutionException
                && e.getMessage() != null
                && e.getMessage().startsWith("BUSYGROUP");
    }
}
