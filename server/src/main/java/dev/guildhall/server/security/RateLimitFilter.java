package dev.guildhall.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.guildhall.server.api.Problems;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Token buckets (bucket4j) per API key, per user, and per client address for anonymous requests
 * such as login: {@code limit} requests a minute, refilled continuously. Every answer carries
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset}; an empty bucket
 * answers 429 with {@code Retry-After}. Where the buckets live is {@link RateLimitBuckets}'s
 * business: in this process, or in Redis so that several nodes share them.
 */
final class RateLimitFilter extends OncePerRequestFilter {
    private final long limit;
    private final RateLimitBuckets buckets;
    private final ObjectMapper mapper;
    private final Counter rejected;
    private final Counter unavailable;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RateLimitFilter.class);

    RateLimitFilter(RateLimitBuckets buckets, ObjectMapper mapper, MeterRegistry meters) {
        this.limit = buckets.perMinute();
        this.buckets = buckets;
        this.mapper = mapper;
        this.rejected = Counter.builder("guildhall.ratelimit.rejected")
                .description("Requests answered 429")
                .register(meters);
        this.unavailable = Counter.builder("guildhall.ratelimit.unavailable")
                .description("Requests let through unlimited because the shared buckets were out of reach")
                .register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return limit <= 0 || path.startsWith("/actuator/health");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsumptionProbe probe;
        try {
            probe = buckets.tryConsume(key(request));
        } catch (RuntimeException e) {
            // The shared buckets' Redis is out of reach: serving unlimited beats refusing everyone.
            unavailable.increment();
            LOG.warn("Rate limit not applied, its buckets are unavailable: {}", e.toString());
            chain.doFilter(request, response);
            return;
        }
        long resetSeconds = seconds(probe.getNanosToWaitForReset());
        response.setHeader("RateLimit-Limit", Long.toString(limit));
        response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        response.setHeader("RateLimit-Reset", Long.toString(resetSeconds));
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        rejected.increment();
        long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        response.setHeader("Retry-After", Long.toString(retryAfter));
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(
                response.getOutputStream(),
                Problems.of(
                        HttpStatus.TOO_MANY_REQUESTS,
                        Problems.RATE_LIMITED,
                        "Too many requests",
                        "More than " + limit + " requests a minute; try again in " + retryAfter + " s"));
    }

    private static String key(HttpServletRequest request) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth instanceof CallerAuthentication c) {
            Caller caller = c.getPrincipal();
            return caller.viaApiKey() ? caller.via() : "user:" + caller.user().value();
        }
        return "ip:" + request.getRemoteAddr();
    }

    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
