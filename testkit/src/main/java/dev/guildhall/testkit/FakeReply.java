package dev.guildhall.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One scripted answer of a fake model server, independent of the wire format: each server renders
 * it as its API would, streamed or not depending on what the client asked for.
 *
 * <ul>
 *   <li>{@link #text(String)} — the model answers text (JSON text for structured output);
 *   <li>{@link #toolCall(String, String, String)} — the model asks for one or more tool calls;
 *   <li>{@link #error(int, String)} and {@link #rateLimited(Duration)} — an HTTP error;
 *   <li>{@link #hang()} — the server never answers, until it is closed, to trigger timeouts;
 *   <li>{@link #embeddings()} — embeddings of the input (deterministic vectors).
 * </ul>
 *
 * <p>Usage is reported as {@link #withUsage(long, long)} says (10 input and 5 output tokens unless
 * set), or not at all with {@link #withoutUsage()}, to exercise usage estimation. Immutable.
 */
public final class FakeReply {
    /** What the reply does. */
    public enum Kind {
        ANSWER,
        ERROR,
        HANG,
        EMBEDDINGS
    }

    private final Kind kind;
    private final String text;
    private final List<FakeToolCall> toolCalls;
    private final long inputTokens;
    private final long outputTokens;
    private final boolean reportUsage;
    private final boolean truncated;
    private final int status;
    private final Duration retryAfter;

    private FakeReply(
            Kind kind,
            String text,
            List<FakeToolCall> toolCalls,
            long inputTokens,
            long outputTokens,
            boolean reportUsage,
            boolean truncated,
            int status,
            Duration retryAfter) {
        this.kind = kind;
        this.text = text;
        this.toolCalls = List.copyOf(toolCalls);
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.reportUsage = reportUsage;
        this.truncated = truncated;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The model answers {@code text}. */
    public static FakeReply text(String text) {
        return new FakeReply(
                Kind.ANSWER, Objects.requireNonNull(text, "text"), List.of(), 10, 5, true, false, 200, null);
    }

    /** The model asks for one tool call and says nothing else. */
    public static FakeReply toolCall(String id, String name, String argumentsJson) {
        return new FakeReply(
                Kind.ANSWER, "", List.of(new FakeToolCall(id, name, argumentsJson)), 10, 5, true, false, 200, null);
    }

    /** The server answers HTTP {@code status} with an error body carrying {@code message}. */
    public static FakeReply error(int status, String message) {
        return new FakeReply(
                Kind.ERROR, Objects.requireNonNull(message, "message"), List.of(), 0, 0, false, false, status, null);
    }

    /** The server answers HTTP 429 with a {@code Retry-After} header, in whole seconds (rounded up). */
    public static FakeReply rateLimited(Duration retryAfter) {
        return new FakeReply(
                Kind.ERROR,
                "Rate limit reached, please retry later",
                List.of(),
                0,
                0,
                false,
                false,
                429,
                Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    /** The server accepts the request and never answers until it is closed. */
    public static FakeReply hang() {
        return new FakeReply(Kind.HANG, "", List.of(), 0, 0, false, false, 200, null);
    }

    /** The embeddings endpoint answers with deterministic vectors and reports usage (use {@link #withoutUsage()} not to). */
    public static FakeReply embeddings() {
        return new FakeReply(Kind.EMBEDDINGS, "", List.of(), 10, 0, true, false, 200, null);
    }

    /** This reply with another tool call added. */
    public FakeReply withToolCall(String id, String name, String argumentsJson) {
        List<FakeToolCall> calls = new ArrayList<>(toolCalls);
        calls.add(new FakeToolCall(id, name, argumentsJson));
        return new FakeReply(kind, text, calls, inputTokens, outputTokens, reportUsage, truncated, status, retryAfter);
    }

    /** This reply with text as well (an assistant may talk before calling tools). */
    public FakeReply withText(String newText) {
        return new FakeReply(
                kind, newText, toolCalls, inputTokens, outputTokens, reportUsage, truncated, status, retryAfter);
    }

    public FakeReply withUsage(long input, long output) {
        return new FakeReply(kind, text, toolCalls, input, output, true, truncated, status, retryAfter);
    }

    /** The server reports no token usage, as some OpenAI-compatible servers do, even when asked. */
    public FakeReply withoutUsage() {
        return new FakeReply(kind, text, toolCalls, inputTokens, outputTokens, false, truncated, status, retryAfter);
    }

    /** The answer stopped at the output token limit. */
    public FakeReply truncated() {
        return new FakeReply(kind, text, toolCalls, inputTokens, outputTokens, reportUsage, true, status, retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    /** The answer's text, or the error message of an error reply. */
    public String text() {
        return text;
    }

    public List<FakeToolCall> toolCalls() {
        return toolCalls;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public boolean reportUsage() {
        return reportUsage;
    }

    public boolean isTruncated() {
        return truncated;
    }

    public int status() {
        return status;
    }

    /** The {@code Retry-After} of a rate-limit reply, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public String toString() {
        return "FakeReply[" + kind + (kind == Kind.ERROR ? " " + status : "") + ", text=" + text + ", toolCalls="
                + toolCalls + "]";
    }
}
