package dev.guildhall.core.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes many realistic definition files for load tests and timing: every fourth agent calls a
 * model with tools and an output schema, the rest use each fallback kind in turn.
 */
public final class GeneratedDefinitions {
    static final String[] TEAMS = {"billing", "support", "sales", "onboarding", "council"};

    private GeneratedDefinitions() {}

    public static void write(Path dir, int count) {
        try {
            for (int i = 0; i < count; i++) {
                Path sub = Files.createDirectories(dir.resolve(TEAMS[i % TEAMS.length]));
                Files.writeString(sub.resolve("agent-%04d.yaml".formatted(i)), definition(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String definition(int i) {
        String common =
                """
                id: agent-%04d
                name: Agent number %d
                description: A generated agent for load tests.
                tier: %d
                team: %s
                capabilities: [cap-%d, shared]
                timeout: 20s
                retry: {maxAttempts: 4, initialInterval: 250ms}
                inputs:
                  message: {required: true}
                  customer.plan: {default: basic}
                """
                        .formatted(i, i, i % 4 + 1, TEAMS[i % TEAMS.length], i % 10);
        String body =
                switch (i % 4) {
                    case 0 ->
                        """
                    model: standard
                    instructions: |
                      You help customers on the {{customer.plan}} plan. Today is {{today}}.
                      Answer: {{message}}
                    tools: [lookup]
                    output:
                      schema:
                        type: object
                        required: [answer]
                        properties:
                          answer: {type: string}
                          confidence: {type: number}
                    fallback:
                      kind: rules
                      rules:
                        - when: {field: message, containsAny: [refund, money back]}
                          output: {route: refunds, reply: "We will look at your refund, {{customer.plan}} customer."}
                          confidence: 0.8
                        - when: {field: message, matches: "(?i)invoice\\\\s+\\\\d+"}
                          output: {route: invoices}
                      default:
                        output: {route: general}
                        nextSteps: [escalate]
                    """;
                    case 1 ->
                        """
                    fallback:
                      kind: classify
                      text: "{{message}}"
                      labels:
                        refund: [refund, money back, chargeback]
                        invoice: [invoice, bill, receipt]
                        outage: [down, outage, error]
                      escalateBelow: 0.4
                    """;
                    case 2 ->
                        """
                    fallback:
                      kind: retrieve
                      collection: help-center
                      query: "{{message}}"
                      minScore: 0.3
                    """;
                    default ->
                        """
                    fallback:
                      kind: template
                      reply: "Thanks, we received: {{message}}"
                      output: {plan: "{{customer.plan}}"}
                    """;
                };
        return common + body;
    }
}
