package dev.guildhall.packs.support.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CustomerContextTest {
    static final WorkspaceId W = WorkspaceId.of("w");
    static final CustomerId C = CustomerId.of("c-1");

    @Test
    void reads_the_directory_once_per_customer_until_the_entry_expires() {
        AtomicInteger reads = new AtomicInteger();
        InMemoryCustomerDirectory memory = new InMemoryCustomerDirectory()
                .put(W, new CustomerProfile(C, "Ann", "basic", 10, "healthy", List.of(), 0));
        CustomerDirectory counting = (w, c) -> {
            reads.incrementAndGet();
            return memory.find(w, c);
        };
        MutableClock clock = MutableClock.start();
        CustomerContext context = new CustomerContext(counting, clock, Duration.ofMinutes(1), 100);

        assertThat(context.find(W, C)).map(CustomerProfile::name).contains("Ann");
        assertThat(context.find(W, C)).isPresent();
        assertThat(reads).hasValue(1);

        clock.advance(Duration.ofSeconds(61));
        assertThat(context.find(W, C)).isPresent();
        assertThat(reads).hasValue(2);
    }

    @Test
    void unknown_customers_are_cached_too_and_workspaces_stay_apart() {
        AtomicInteger reads = new AtomicInteger();
        CustomerDirectory empty = (w, c) -> {
            reads.incrementAndGet();
            return Optional.empty();
        };
        CustomerContext context = new CustomerContext(empty, MutableClock.start());

        assertThat(context.find(W, C)).isEmpty();
        assertThat(context.find(W, C)).isEmpty();
        assertThat(context.find(WorkspaceId.of("other"), C)).isEmpty();
        assertThat(reads).hasValue(2);
    }
}
