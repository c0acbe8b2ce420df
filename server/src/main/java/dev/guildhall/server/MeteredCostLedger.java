package dev.guildhall.server;

import dev.guildhall.core.cost.CostEntry;
import dev.guildhall.core.cost.CostEntry.Kind;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;

/**
 * The cost ledger the model gateway records into, counting as it goes: calls, tokens and cost by
 * provider and model ({@code guildhall_model_calls_total}, {@code guildhall_model_tokens_total},
 * {@code guildhall_model_cost_total}). The ledger stays the record; the counters are this node's
 * view of it since start, for dashboards and alerts.
 */
final class MeteredCostLedger implements CostLedger {
    private final CostLedger ledger;
    private final MeterRegistry registry;

    MeteredCostLedger(CostLedger ledger, MeterRegistry registry) {
        this.ledger = ledger;
        this.registry = registry;
    }

    @Override
    public void record(CostEntry entry) {
        ledger.record(entry);
        String kind = entry.kind() == Kind.CHAT ? "chat" : "embedding";
        Counter.builder("guildhall.model.calls")
                .description("Model calls recorded in the cost ledger")
                .tag("provider", entry.provider())
                .tag("model", entry.model())
                .tag("kind", kind)
                .tag("cached", Boolean.toString(entry.cached()))
                .register(registry)
                .increment();
        tokens(entry, "input", entry.inputTokens());
        tokens(entry, "output", entry.outputTokens());
        Counter.builder("guildhall.model.cost")
                .description("Cost of model calls, in the price table's currency")
                .tag("provider", entry.provider())
                .tag("model", entry.model())
                .register(registry)
                .increment(entry.cost().doubleValue());
    }

    private void tokens(CostEntry entry, String direction, long count) {
        Counter.builder("guildhall.model.tokens")
                .description("Tokens of model calls")
                .tag("provider", entry.provider())
                .tag("model", entry.model())
                .tag("direction", direction.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment(count);
    }

    @Override
    public List<SpendRow> spend(SpendQuery query) {
        return ledger.spend(query);
    }

    @Override
    public List<CostEntry> entries(SpendQuery query) {
        return ledger.entries(query);
    }
}
