package dev.guildhall.core.agent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class implementing {@link Agent} for discovery by the registry, and carries its
 * metadata. The class needs a public no-argument constructor.
 *
 * <pre>{@code
 * @GuildhallAgent(id = "refund-checker", tier = 2, team = "billing", capabilities = {"refunds"})
 * public final class RefundChecker implements Agent { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface GuildhallAgent {
    String id();

    String name() default "";

    String description() default "";

    /** 1 essential, 2 revenue, 3 operational, 4 advanced. */
    int tier() default 3;

    String team() default "";

    String[] capabilities() default {};

    /** {@code none}, {@code cheap}, {@code standard} or {@code premium}. */
    String model() default "none";

    /** ISO-8601 or short form such as {@code 30s}, {@code 500ms}, {@code 2m}. */
    String timeout() default "60s";

    int maxAttempts() default 3;
}
