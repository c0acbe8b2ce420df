package dev.guildhall.core.agent;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.retry.RetryPolicy;
import dev.guildhall.core.util.Durations;
import java.util.Set;

/** Reads {@link GuildhallAgent} annotations into descriptors; cached per class. */
final class AnnotatedAgents {
    private static final ClassValue<AgentDescriptor> CACHE = new ClassValue<>() {
        @Override
        protected AgentDescriptor computeValue(Class<?> type) {
            GuildhallAgent a = type.getAnnotation(GuildhallAgent.class);
            if (a == null) {
                throw new IllegalStateException(
                        type.getName() + " must either carry @GuildhallAgent or override Agent.descriptor()");
            }
            return new AgentDescriptor(
                    AgentId.of(a.id()),
                    a.name(),
                    a.description(),
                    Tier.ofNumber(a.tier()),
                    a.team(),
                    Set.of(a.capabilities()),
                    ModelPolicy.parse(a.model()),
                    Durations.parse(a.timeout()),
                    RetryPolicy.builder().maxAttempts(a.maxAttempts()).build(),
                    "class:" + type.getName());
        }
    };

    private AnnotatedAgents() {}

    static AgentDescriptor descriptorOf(Class<?> type) {
        return CACHE.get(type);
    }
}
