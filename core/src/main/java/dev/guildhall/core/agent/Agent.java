package dev.guildhall.core.agent;

/**
 * A stateless unit of work. The engine hands it a task and a context and keeps whatever state the
 * run needs; the agent must not keep state between calls, because the next call may happen in
 * another process after a restart.
 *
 * <p>Implementations are thread-safe: one instance serves many runs at once. They either carry a
 * {@link GuildhallAgent} annotation (and inherit {@link #descriptor()}) or override it.
 */
public interface Agent {

    /** Who this agent is. By default read from the class's {@link GuildhallAgent} annotation. */
    default AgentDescriptor descriptor() {
        return AnnotatedAgents.descriptorOf(getClass());
    }

    /**
     * Does the work. Throw a {@link dev.guildhall.core.RetryableException} for failures worth
     * retrying and a {@link dev.guildhall.core.NonRetryableException} for the rest; any other
     * runtime exception is treated as retryable.
     */
    AgentResult run(AgentTask task, AgentContext context);
}
