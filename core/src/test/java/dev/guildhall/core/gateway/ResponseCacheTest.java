package dev.guildhall.core.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.time.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {
    private static final WorkspaceId ACME = WorkspaceId.of("acme");
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");

    @Test
    void caches_only_requests_with_temperature_zero() {
        ChatRequest base = ChatRequest.of(ChatMessage.user("hi"));

        assertThat(ResponseCache.isCacheable(base)).isFalse();
        assertThat(ResponseCache.isCacheable(withTemperature(base, 0.7))).isFalse();
        assertThat(ResponseCache.isCacheable(withTemperature(base, 0.0))).isTrue();
    }

    @Test
    void finds_an_equal_request_but_not_another_workspace_or_policy() {
        ResponseCache cache = new ResponseCache(10, Duration.ofMinutes(5), clock);
        ChatRequest request = withTemperature(ChatRequest.of(ChatMessage.user("hi")), 0.0);
        cache.put(new ResponseCache.Key(ACME, ModelPolicy.CHEAP, request), response("hello"));

        ChatRequest equal = withTemperature(ChatRequest.of(ChatMessage.user("hi")), 0.0);
        assertThat(cache.find(new ResponseCache.Key(ACME, ModelPolicy.CHEAP, equal)))
                .map(ChatResponse::text)
                .contains("hello");
        assertThat(cache.find(new ResponseCache.Key(WorkspaceId.of("other"), ModelPolicy.CHEAP, equal)))
                .isEmpty();
        assertThat(cache.find(new ResponseCache.Key(ACME, ModelPolicy.PREMIUM, equal)))
                .isEmpty();
    }

    @Test
    void forgets_entries_after_the_ttl_on_its_clock() {
        ResponseCache cache = new ResponseCache(10, Duration.ofMinutes(5), clock);
        ResponseCache.Key key = new ResponseCache.Key(ACME, ModelPolicy.CHEAP, ChatRequest.of(ChatMessage.user("hi")));
        cache.put(key, response("hello"));

        clock.advance(Duration.ofMinutes(4));
        assertThat(cache.find(key)).isPresent();
        clock.advance(Duration.ofMinutes(2));
        assertThat(cache.find(key)).isEmpty();
    }

    @Test
    void stays_within_its_maximum_size() {
        ResponseCache cache = new ResponseCache(3, Duration.ofMinutes(5), clock);
        for (int i = 0; i < 20; i++) {
            cache.put(
                    new ResponseCache.Key(ACME, ModelPolicy.CHEAP, ChatRequest.of(ChatMessage.user("q" + i))),
                    response("a" + i));
        }

        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void a_disabled_cache_stores_nothing() {
        ResponseCache cache = ResponseCache.disabled();
        ResponseCache.Key key = new ResponseCache.Key(ACME, ModelPolicy.CHEAP, ChatRequest.of(ChatMessage.user("hi")));
        cache.put(key, response("hello"));

        assertThat(cache.enabled()).isFalse();
        assertThat(cache.find(key)).isEmpty();
    }

    private static ChatRequest withTemperature(ChatRequest r, double t) {
        return new ChatRequest(r.messages(), r.tools(), r.responseSchema(), r.maxOutputTokens(), t);
    }

    private static ChatResponse response(String text) {
        return new ChatResponse(
                text,
                List.of(),
                ChatResponse.FinishReason.STOP,
                new TokenUsage(3, 1, false),
                "openai",
                "gpt-4o-mini",
                Duration.ofMillis(5),
                new BigDecimal("0.0001"),
                false);
    }
}
