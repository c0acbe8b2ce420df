package dev.guildhall.core.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * A declared template input.
 *
 * @param name a dotted path into the task input, such as {@code customer.plan}
 * @param defaultValue used when the task input lacks the path; null for none
 */
public record InputSpec(String name, boolean required, @Nullable JsonNode defaultValue, String description, int line) {}
