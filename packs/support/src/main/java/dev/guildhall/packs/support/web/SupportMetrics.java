package dev.guildhall.packs.support.web;

import dev.guildhall.packs.support.desk.SupportAnalytics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The desk's figures as Prometheus metrics, counted as messages are settled: {@code
 * guildhall_support_messages_total{intent, channel, outcome}}, {@code
 * guildhall_support_first_response_seconds{channel}} and {@code
 * guildhall_support_verifications_total{result}}. Intents are the workspace's labels, a bounded set.
 */
final class SupportMetrics implements Consumer<SupportAnalytics.Outcome> {
    private final MeterRegistry registry;

    SupportMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(SupportAnalytics.Outcome o) {
        String channel = o.channel().wire();
        Counter.builder("guildhall.support.messages")
                .description("Customer messages the support desk settled")
                .tag("intent", o.intent() == null ? "none-of-these" : o.intent())
                .tag("channel", channel)
                .tag("outcome", o.outcome())
                .register(registry)
                .increment();
        Timer.builder("guildhall.support.first.response")
                .description("From a customer message to the desk's reply or escalation note")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.between(o.receivedAt(), o.answeredAt()));
        if (o.verified() != null) {
            Counter.builder("guildhall.support.verifications")
                    .description("Answers the QA verifier passed or failed")
                    .tag("result", o.verified() ? "passed" : "failed")
                    .register(registry)
                    .increment();
        }
    }
}
