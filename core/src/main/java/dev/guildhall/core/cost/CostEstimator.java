package dev.guildhall.core.cost;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.guildhall.core.Checks;
import dev.guildhall.core.gateway.ChatMessage;
import dev.guildhall.core.gateway.ChatRequest;
import dev.guildhall.core.gateway.ModelRoute;
import dev.guildhall.core.gateway.TokenUsage;
import dev.guildhall.core.gateway.ToolCall;
import dev.guildhall.core.gateway.ToolSpec;
import java.math.BigDecimal;
import java.util.List;

/**
 * Counts tokens with jtokkit's {@code o200k_base} encoding (GPT-4o's) to estimate a call's cost before
 * it is sent and its usage when a provider reports none. Other models tokenise differently, so the
 * counts are estimates, typically within a few percent for English text; they exist so that budgets
 * can be enforced before spending and dashboards never show zero for a call that happened.
 *
 * <p>Thread-safe.
 */
public final class CostEstimator {
    /** Tokens a chat API adds around each message (role and separators), after OpenAI's published counting recipe. */
    static final int TOKENS_PER_MESSAGE = 4;
    /** Tokens that prime the assistant's reply. */
    static final int REPLY_PRIMING_TOKENS = 3;

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private final PriceTable prices;

    public CostEstimator(PriceTable prices) {
        this.prices = Checks.notNull(prices, "prices");
    }

    /** The tokens of {@code text}; special-token markers in it count as ordinary text. */
    public long countTokens(String text) {
        return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
    }

    /** The input tokens of {@code request}: messages, tool calls, tool definitions and response schema. */
    public long inputTokens(ChatRequest request) {
        long tokens = REPLY_PRIMING_TOKENS;
        for (ChatMessage m : request.messages()) {
            tokens += TOKENS_PER_MESSAGE + countTokens(m.text());
            tokens += toolCallTokens(m.toolCalls());
        }
        for (ToolSpec tool : request.tools()) {
            tokens += countTokens(tool.name())
                    + countTokens(tool.description())
                    + countTokens(tool.parameters().toString());
        }
        if (request.responseSchema() != null) {
            tokens += countTokens(request.responseSchema().toString());
        }
        return tokens;
    }

    /** The output tokens of an answer made of {@code text} and {@code toolCalls}. */
    public long outputTokens(String text, List<ToolCall> toolCalls) {
        return countTokens(text) + toolCallTokens(toolCalls);
    }

    /** Usage counted for a call whose provider reported none; always marked {@link TokenUsage#estimated() estimated}. */
    public TokenUsage estimateUsage(ChatRequest request, String text, List<ToolCall> toolCalls) {
        return new TokenUsage(inputTokens(request), outputTokens(text, toolCalls), true);
    }

    /** Usage counted for an embedding call whose provider reported none. */
    public TokenUsage estimateEmbeddingUsage(List<String> texts) {
        return new TokenUsage(texts.stream().mapToLong(this::countTokens).sum(), 0, true);
    }

    /**
     * The most {@code request} can cost on {@code route}: its input tokens plus {@link
     * ChatRequest#maxOutputTokens()} output tokens at the route's prices (zero when unpriced).
     */
    public BigDecimal worstCaseCost(ModelRoute route, ChatRequest request) {
        return prices.cost(route.provider(), route.model(), inputTokens(request), request.maxOutputTokens());
    }

    /** The estimated cost of embedding {@code texts} on {@code route}. */
    public BigDecimal embeddingCost(ModelRoute route, List<String> texts) {
        return prices.cost(
                route.provider(), route.model(), estimateEmbeddingUsage(texts).inputTokens(), 0);
    }

    private long toolCallTokens(List<ToolCall> calls) {
        long tokens = 0;
        for (ToolCall call : calls) {
            tokens += TOKENS_PER_MESSAGE + countTokens(call.name()) + countTokens(call.argumentsJson());
        }
        return tokens;
    }
}
