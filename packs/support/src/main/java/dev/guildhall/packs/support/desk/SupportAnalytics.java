package dev.guildhall.packs.support.desk;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the desk did in a window of time, for one workspace.
 *
 * @param messages customer messages the desk settled (answered or escalated) in the window
 * @param byIntent those messages by routed intent ({@code none-of-these} when none)
 * @param byChannel by the conversation's channel
 * @param autoResolutionRate share answered by the desk without a person
 * @param escalationRate share handed to a person (escalated, or the run failed)
 * @param verificationPassRate share of answers the QA verifier passed, among messages where an
 *     answer was attempted; null when none was
 * @param firstResponseP50Millis median time from a customer message to the desk's reply or note
 * @param firstResponseP90Millis its 90th percentile
 * @param resolved conversations resolved in the window (status {@code resolved}, last updated then)
 * @param resolutionP50Millis median time from a resolved conversation's creation to its last update
 * @param csatAverage mean CSAT (1–5) of conversations updated in the window; null without any
 * @param csatResponses how many of them had a CSAT
 * @param costByAgent model spend of the workspace's agents in the window, in US dollars
 */
public record SupportAnalytics(
        Instant from,
        Instant to,
        long messages,
        Map<String, Long> byIntent,
        Map<String, Long> byChannel,
        double autoResolutionRate,
        double escalationRate,
        @Nullable Double verificationPassRate,
        @Nullable Long firstResponseP50Millis,
        @Nullable Long firstResponseP90Millis,
        long resolved,
        @Nullable Long resolutionP50Millis,
        @Nullable Double csatAverage,
        long csatResponses,
        Map<String, java.math.BigDecimal> costByAgent) {

    /** One settled message, as recorded by {@link SupportStore#recordOutcome}. */
    public record Outcome(
            String messageId,
            String conversationId,
            SupportRecords.Channel channel,
            @Nullable String intent,
            String outcome,
            @Nullable String lane,
            @Nullable Boolean verified,
            Instant receivedAt,
            Instant answeredAt) {}

    public SupportAnalytics withCostByAgent(Map<String, java.math.BigDecimal> cost) {
        return new SupportAnalytics(
                from,
                to,
                messages,
                byIntent,
                byChannel,
                autoResolutionRate,
                escalationRate,
                verificationPassRate,
                firstResponseP50Millis,
                firstResponseP90Millis,
                resolved,
                resolutionP50Millis,
                csatAverage,
                csatResponses,
                Map.copyOf(cost));
    }
}
