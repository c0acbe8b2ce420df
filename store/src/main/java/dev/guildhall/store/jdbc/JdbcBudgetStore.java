package dev.guildhall.store.jdbc;

import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.Budget;
import dev.guildhall.core.cost.BudgetPeriod;
import dev.guildhall.core.cost.BudgetPolicy;
import dev.guildhall.core.cost.BudgetStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** A {@link BudgetStore} in the {@code budgets} table, keyed by {@link Budget.Key}. */
public final class JdbcBudgetStore implements BudgetStore {
    /** The user column's value for the scopes without a user; a real {@link UserId} is never blank. */
    private static final String NO_USER = "";

    private static final String UNIQUE_VIOLATION = "23505";

    private static final String COLUMNS =
            "workspace, scope, user_id, period, soft_limit, soft_limit_scale, hard_limit, hard_limit_scale";
    private static final String KEY = " WHERE workspace = ? AND scope = ? AND user_id = ?";
    private static final String UPDATE =
            "UPDATE budgets SET period = ?, soft_limit = ?, soft_limit_scale = ?, hard_limit = ?, hard_limit_scale = ?"
                    + KEY;
    private static final String INSERT = "INSERT INTO budgets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public JdbcBudgetStore(DataSource dataSource) {
        this.dataSource = Checks.notNull(dataSource, "dataSource");
    }

    @Override
    public void save(Budget budget) {
        Checks.notNull(budget, "budget");
        checkScale(budget.policy().softLimit(), "softLimit");
        checkScale(budget.policy().hardLimit(), "hardLimit");
        // Update, else insert: portable where MERGE and ON CONFLICT are not. When a concurrent save
        // inserts the same key first, the insert fails on the key and the update then wins.
        try (Connection c = dataSource.getConnection()) {
            if (update(c, budget) == 0) {
                try {
                    insert(c, budget);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || update(c, budget) == 0) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw StoreErrors.map("save budget " + budget.key(), e);
        }
    }

    @Override
    public Optional<Budget> find(Budget.Key key) {
        Checks.notNull(key, "key");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM budgets" + KEY)) {
            bindKey(ps, 1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(toBudget(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreErrors.map("find budget " + key, e);
        }
    }

    @Override
    public boolean delete(Budget.Key key) {
        Checks.notNull(key, "key");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM budgets" + KEY)) {
            bindKey(ps, 1, key);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw StoreErrors.map("delete budget " + key, e);
        }
    }

    @Override
    public List<Budget> list(WorkspaceId workspace) {
        Checks.notNull(workspace, "workspace");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM budgets WHERE workspace = ?")) {
            ps.setString(1, workspace.value());
            List<Budget> budgets = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    budgets.add(toBudget(rs));
                }
            }
            return List.copyOf(budgets);
        } catch (SQLException e) {
            throw StoreErrors.map("list budgets of " + workspace, e);
        }
    }

    private static int update(Connection c, Budget budget) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            int next = bindPolicy(ps, 1, budget.policy());
            bindKey(ps, next, budget.key());
            return ps.executeUpdate();
        }
    }

    private static void insert(Connection c, Budget budget) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            int next = bindKey(ps, 1, budget.key());
            bindPolicy(ps, next, budget.policy());
            ps.executeUpdate();
        }
    }

    private static int bindKey(PreparedStatement ps, int index, Budget.Key key) throws SQLException {
        ps.setString(index, key.workspace().value());
        ps.setString(index + 1, key.scope().name());
        ps.setString(index + 2, key.user() == null ? NO_USER : key.user().value());
        return index + 3;
    }

    private static int bindPolicy(PreparedStatement ps, int index, BudgetPolicy policy) throws SQLException {
        ps.setString(index, policy.period().name());
        bindMoney(ps, index + 1, policy.softLimit());
        bindMoney(ps, index + 3, policy.hardLimit());
        return index + 5;
    }

    private static void bindMoney(PreparedStatement ps, int index, @Nullable BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NUMERIC);
            ps.setNull(index + 1, Types.INTEGER);
        } else {
            ps.setBigDecimal(index, value);
            ps.setInt(index + 1, value.scale());
        }
    }

    private static Budget toBudget(ResultSet rs) throws SQLException {
        String user = rs.getString("user_id");
        BudgetPolicy policy = new BudgetPolicy(
                BudgetPeriod.valueOf(rs.getString("period")), money(rs, "soft_limit"), money(rs, "hard_limit"));
        return new Budget(
                WorkspaceId.of(rs.getString("workspace")),
                Budget.Scope.valueOf(rs.getString("scope")),
                NO_USER.equals(user) ? null : UserId.of(user),
                policy);
    }

    private static @Nullable BigDecimal money(ResultSet rs, String column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? null : value.setScale(rs.getInt(column + "_scale"), RoundingMode.UNNECESSARY);
    }

    private static void checkScale(@Nullable BigDecimal value, String name) {
        Checks.check(
                value == null || value.stripTrailingZeros().scale() <= JdbcCostLedger.MONEY_SCALE,
                "%s must have at most %d decimal places, was %s"
                        .formatted(name, JdbcCostLedger.MONEY_SCALE, value == null ? null : value.toPlainString()));
    }

    @Override
    public String toString() {
        return "JdbcBudgetStore[" + dataSource + "]";
    }
}
