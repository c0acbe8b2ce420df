package dev.guildhall.core.registry.internal;

import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.GuildhallAgent;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.gateway.ModelPolicy;
import dev.guildhall.core.util.Durations;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Checks a {@link GuildhallAgent} class with the same rules as a YAML definition, field by field,
 * and instantiates it through its public no-argument constructor.
 */
public final class AnnotatedClasses {
    private AnnotatedClasses() {}

    public static String sourceOf(Class<?> type) {
        return "class:" + type.getName();
    }

    /** The agent, or null when the class has problems (all reported to {@code problems}). */
    public static @Nullable Agent instantiate(Class<?> type, Problems problems) {
        int before = problems.count();
        GuildhallAgent a = type.getAnnotation(GuildhallAgent.class);
        if (a == null) {
            problems.add(0, null, "must carry @GuildhallAgent to be registered as an annotated agent");
            return null;
        }
        if (!Agent.class.isAssignableFrom(type)) {
            problems.add(0, null, "carries @GuildhallAgent but does not implement " + Agent.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            problems.add(0, null, "is abstract; only concrete classes can be instantiated as agents");
        }
        if (!DefinitionParser.ID.matcher(a.id()).matches()) {
            problems.add(
                    0,
                    "id",
                    "must be letters, digits, '.', '_' or '-' (starting with a letter or digit), was \"" + a.id()
                            + "\"");
        }
        try {
            Tier.ofNumber(a.tier());
        } catch (IllegalArgumentException e) {
            problems.add(0, "tier", e.getMessage());
        }
        try {
            ModelPolicy.parse(a.model());
        } catch (IllegalArgumentException e) {
            problems.add(0, "model", e.getMessage());
        }
        try {
            Duration timeout = Durations.parse(a.timeout());
            if (timeout.isNegative() || timeout.isZero()) {
                problems.add(0, "timeout", "must be > 0, was " + a.timeout());
            }
        } catch (IllegalArgumentException e) {
            problems.add(0, "timeout", e.getMessage());
        }
        if (a.maxAttempts() < 1) {
            problems.add(0, "maxAttempts", "must be > 0, was " + a.maxAttempts());
        }
        if (problems.count() != before) {
            return null;
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            problems.add(0, null, "needs a public no-argument constructor to be instantiated by the registry");
            return null;
        }
        try {
            // A package-private class with a public constructor is fine; reflection needs to be told so.
            constructor.trySetAccessible();
            return (Agent) constructor.newInstance();
        } catch (InvocationTargetException e) {
            problems.add(0, null, "constructor failed: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            problems.add(0, null, "cannot be instantiated: " + e);
        }
        return null;
    }

    /** The agent's descriptor, or null (reported) when {@code descriptor()} throws. */
    public static @Nullable AgentDescriptor descriptorOf(Agent agent, Problems problems) {
        try {
            return agent.descriptor();
        } catch (RuntimeException e) {
            problems.add(0, "descriptor", "descriptor() failed: " + e.getMessage());
            return null;
        }
    }
}
