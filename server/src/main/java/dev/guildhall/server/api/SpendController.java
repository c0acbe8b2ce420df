package dev.guildhall.server.api;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.Budget;
import dev.guildhall.core.cost.BudgetPeriod;
import dev.guildhall.core.cost.BudgetPolicy;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendQuery.GroupBy;
import dev.guildhall.core.cost.SpendRow;
import dev.guildhall.server.security.Caller;
import dev.guildhall.store.jdbc.JdbcBudgetStore;
import dev.guildhall.store.jdbc.JdbcIdentityStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the workspace's model calls cost (the cost ledger, summed in SQL) and its budgets, which the
 * model gateway enforces on every call of the workspace's runs.
 */
@RestController
@RequestMapping("/api/v1")
class SpendController {
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    private static final Duration MAX_RANGE = Duration.ofDays(3660);

    private final CostLedger ledger;
    private final JdbcBudgetStore budgets;
    private final JdbcIdentityStore identities;
    private final Clock clock;
    private final AuditController.Recorder audit;

    SpendController(
            CostLedger ledger,
            JdbcBudgetStore budgets,
            JdbcIdentityStore identities,
            Clock clock,
            AuditController.Recorder audit) {
        this.ledger = ledger;
        this.budgets = budgets;
        this.identities = identities;
        this.clock = clock;
        this.audit = audit;
    }

    record SpendRowView(
            @Nullable String agent,
            @Nullable String user,
            @Nullable String provider,
            @Nullable String model,
            @Nullable LocalDate day,
            long calls,
            long cachedCalls,
            long inputTokens,
            long outputTokens,
            BigDecimal cost) {
        static SpendRowView of(SpendRow r) {
            return new SpendRowView(
                    r.agent() == null ? null : r.agent().value(),
                    r.user() == null ? null : r.user().value(),
                    r.provider(),
                    r.model(),
                    r.day(),
                    r.calls(),
                    r.cachedCalls(),
                    r.inputTokens(),
                    r.outputTokens(),
                    r.cost());
        }
    }

    record SpendView(Instant from, Instant to, List<String> groupBy, List<SpendRowView> rows, SpendRowView total) {}

    /**
     * @param from the first instant counted (ISO-8601); default 30 days before {@code to}
     * @param to the first instant not counted; default now
     * @param groupBy agent, model, day or user, repeatable; none gives one row of totals
     * @param agent only this agent's calls
     */
    @GetMapping("/spend")
    @PreAuthorize("hasAuthority('SCOPE_spend:read')")
    SpendView spend(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable List<String> groupBy,
            @RequestParam(required = false) @Nullable String agent) {
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : instant("from", from);
        if (end.isBefore(start)) {
            throw ProblemException.invalid("to", "to must not be before from");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ProblemException.invalid("from", "the range may be at most 3660 days");
        }
        Set<GroupBy> dims = new LinkedHashSet<>();
        if (groupBy != null) {
            for (String g : groupBy) {
                for (String part : g.split(",")) {
                    if (part.isBlank()) {
                        continue;
                    }
                    GroupBy d =
                            switch (part.trim().toLowerCase(Locale.ROOT)) {
                                case "agent" -> GroupBy.AGENT;
                                case "model" -> GroupBy.MODEL;
                                case "day" -> GroupBy.DAY;
                                case "user" -> GroupBy.USER;
                                default ->
                                    throw ProblemException.invalid(
                                            "groupBy", "groupBy must be agent, model, day or user");
                            };
                    dims.add(d);
                }
            }
        }
        SpendQuery query = SpendQuery.forWorkspace(caller.workspace(), start, end);
        if (agent != null && !agent.isBlank()) {
            query = query.withAgent(AgentId.of(agent));
        }
        List<SpendRow> rows = ledger.spend(query.groupBy(dims.toArray(GroupBy[]::new)));
        SpendRow total = ledger.spend(query).stream()
                .findFirst()
                .orElse(new SpendRow(null, null, null, null, null, null, 0, 0, 0, 0, BigDecimal.ZERO));
        return new SpendView(
                start,
                end,
                dims.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList(),
                rows.stream().map(SpendRowView::of).toList(),
                SpendRowView.of(total));
    }

    /**
     * @param softLimit past it, calls move one model policy down; absent for none
     * @param hardLimit a call that would cross it is refused; absent for none (one of the two is needed)
     */
    record BudgetRequest(@NotBlank String period, @Nullable BigDecimal softLimit, @Nullable BigDecimal hardLimit) {}

    /** @param scope workspace, each-user or user; @param spent what the current period has cost so far */
    record BudgetView(
            String scope,
            @Nullable String user,
            String period,
            @Nullable BigDecimal softLimit,
            @Nullable BigDecimal hardLimit,
            Instant periodStart,
            BigDecimal spent) {}

    @GetMapping("/budgets")
    @PreAuthorize("hasAuthority('SCOPE_spend:read')")
    List<BudgetView> budgets(@AuthenticationPrincipal Caller caller) {
        List<BudgetView> out = new ArrayList<>();
        for (Budget b : budgets.list(caller.workspace())) {
            out.add(view(b));
        }
        out.sort(
                java.util.Comparator.comparing(BudgetView::scope).thenComparing(v -> v.user() == null ? "" : v.user()));
        return out;
    }

    @PutMapping("/budgets/workspace")
    @PreAuthorize("hasAuthority('SCOPE_budgets:admin')")
    BudgetView putWorkspace(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody BudgetRequest body, HttpServletRequest http) {
        return save(caller, Budget.forWorkspace(caller.workspace(), policy(body)), http);
    }

    @PutMapping("/budgets/each-user")
    @PreAuthorize("hasAuthority('SCOPE_budgets:admin')")
    BudgetView putEachUser(
            @AuthenticationPrincipal Caller caller, @Valid @RequestBody BudgetRequest body, HttpServletRequest http) {
        return save(caller, Budget.forEachUser(caller.workspace(), policy(body)), http);
    }

    @PutMapping("/budgets/users/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_budgets:admin')")
    BudgetView putUser(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String userId,
            @Valid @RequestBody BudgetRequest body,
            HttpServletRequest http) {
        UserId user = member(caller.workspace(), userId);
        return save(caller, Budget.forUser(caller.workspace(), user, policy(body)), http);
    }

    @DeleteMapping("/budgets/workspace")
    @PreAuthorize("hasAuthority('SCOPE_budgets:admin')")
    ResponseEntity<Void> deleteWorkspace(@AuthenticationPrincipal Caller caller, HttpServletRequest http) {
        return delete(caller, new Budget.Key(caller.workspace(), Budget.Scope.WORKSPACE, null), "workspace", http);
    }

    @DeleteMapping("/budgets/each-user")
    @PreAuthorize("hasAuthority('SCOPE_budgets:admin')")
    ResponseEntity<Void> deleteEachUser(@AuthenticationPrincipal Caller caller, HttpServletRequest http) {
        return delete(caller, new Budget.Key(caller.workspace(), Budget.Scope.EACH_USER, null), "each-user", http);
    }

    @DeleteMapping("/budgets/users/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_budgets:admin')")
    ResponseEntity<Void> deleteUser(
            @AuthenticationPrincipal Caller caller, @PathVariable String userId, HttpServletRequest http) {
        UserId user = member(caller.workspace(), userId);
        return delete(caller, new Budget.Key(caller.workspace(), Budget.Scope.USER, user), "user " + userId, http);
    }

    private BudgetView save(Caller caller, Budget budget, HttpServletRequest http) {
        budgets.save(budget);
        audit.record(
                caller,
                "budget.set",
                scopeName(budget.scope())
                        + (budget.user() == null ? "" : ":" + budget.user().value()),
                budget.policy().period().wireName() + " soft="
                        + plain(budget.policy().softLimit()) + " hard="
                        + plain(budget.policy().hardLimit()),
                http);
        return view(budget);
    }

    private ResponseEntity<Void> delete(Caller caller, Budget.Key key, String what, HttpServletRequest http) {
        if (!budgets.delete(key)) {
            throw ProblemException.notFound("Budget", what);
        }
        audit.record(caller, "budget.delete", what, "", http);
        return ResponseEntity.noContent().build();
    }

    private BudgetView view(Budget b) {
        Instant now = clock.instant();
        Instant start = b.policy().period().start(now);
        SpendQuery query = SpendQuery.forWorkspace(
                b.workspace(), start, b.policy().period().end(now));
        if (b.user() != null) {
            query = query.withUser(b.user());
        }
        // An each-user budget has no one spend: its figure is the busiest user's.
        BigDecimal spent = b.scope() == Budget.Scope.EACH_USER
                ? ledger.spend(query.groupBy(GroupBy.USER)).stream()
                        .filter(r -> r.user() != null)
                        .map(SpendRow::cost)
                        .max(BigDecimal::compareTo)
                        .orElse(BigDecimal.ZERO)
                : ledger.totalCost(query);
        return new BudgetView(
                scopeName(b.scope()),
                b.user() == null ? null : b.user().value(),
                b.policy().period().wireName(),
                b.policy().softLimit(),
                b.policy().hardLimit(),
                start,
                spent);
    }

    private UserId member(WorkspaceId workspace, String userId) {
        if (userId.isBlank() || userId.length() > 64) {
            throw ProblemException.notFound("Member", userId);
        }
        UserId user = UserId.of(userId);
        if (identities.findMembership(workspace, user).isEmpty()) {
            throw ProblemException.notFound("Member", userId);
        }
        return user;
    }

    private static BudgetPolicy policy(BudgetRequest body) {
        BudgetPeriod period;
        try {
            period = BudgetPeriod.parse(body.period());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("period", "period must be daily or monthly");
        }
        if (body.softLimit() == null && body.hardLimit() == null) {
            throw ProblemException.invalid("hardLimit", "a budget needs a softLimit or a hardLimit");
        }
        for (var limit :
                List.of(new Object[] {"softLimit", body.softLimit()}, new Object[] {"hardLimit", body.hardLimit()})) {
            BigDecimal v = (BigDecimal) limit[1];
            if (v != null
                    && (v.signum() < 0
                            || v.precision() - v.scale() > 18
                            || v.stripTrailingZeros().scale() > 18)) {
                throw ProblemException.invalid(
                        (String) limit[0],
                        limit[0] + " must be >= 0 with at most 18 digits before and after the point");
            }
        }
        try {
            return new BudgetPolicy(period, body.softLimit(), body.hardLimit());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("softLimit", e.getMessage());
        }
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static String scopeName(Budget.Scope scope) {
        return switch (scope) {
            case WORKSPACE -> "workspace";
            case EACH_USER -> "each-user";
            case USER -> "user";
        };
    }

    private static String plain(@Nullable BigDecimal v) {
        return v == null ? "-" : v.toPlainString();
    }
}
