package dev.guildhall.testkit.cost;

import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.InMemoryCostLedger;

class InMemoryCostLedgerTest extends CostLedgerContract {
    @Override
    protected CostLedger newLedger() {
        return new InMemoryCostLedger();
    }
}
