package dev.guildhall.core.cost;

import dev.guildhall.core.Checks;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import org.jspecify.annotations.Nullable;

/**
 * A spending limit and whom it applies to: a whole workspace, one user of it, or each user of it
 * (a default for users without their own budget). A call pays into its workspace's budget and into
 * its user's budget, and must fit both.
 *
 * @param user the user for {@link Scope#USER}; null otherwise
 */
public record Budget(WorkspaceId workspace, Scope scope, @Nullable UserId user, BudgetPolicy policy) {

    /** Whose spend a budget counts. */
    public enum Scope {
        /** Everything the workspace spends. */
        WORKSPACE,
        /** What each user of the workspace spends, for users without a {@link #USER} budget. */
        EACH_USER,
        /** What one user of the workspace spends. */
        USER
    }

    public Budget {
        Checks.notNull(workspace, "workspace");
        Checks.notNull(scope, "scope");
        Checks.notNull(policy, "policy");
        Checks.check(
                (scope == Scope.USER) == (user != null),
                "user must be set exactly when scope is USER, was scope %s and user %s".formatted(scope, user));
    }

    public static Budget forWorkspace(WorkspaceId workspace, BudgetPolicy policy) {
        return new Budget(workspace, Scope.WORKSPACE, null, policy);
    }

    public static Budget forEachUser(WorkspaceId workspace, BudgetPolicy policy) {
        return new Budget(workspace, Scope.EACH_USER, null, policy);
    }

    public static Budget forUser(WorkspaceId workspace, UserId user, BudgetPolicy policy) {
        return new Budget(workspace, Scope.USER, user, policy);
    }

    public Key key() {
        return new Key(workspace, scope, user);
    }

    /** What identifies a budget in its store: at most one budget per key. */
    public record Key(WorkspaceId workspace, Scope scope, @Nullable UserId user) {
        public Key {
            Checks.notNull(workspace, "workspace");
            Checks.notNull(scope, "scope");
            Checks.check(
                    (scope == Scope.USER) == (user != null),
                    "user must be set exactly when scope is USER, was scope %s and user %s".formatted(scope, user));
        }
    }
}
