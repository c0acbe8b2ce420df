package dev.guildhall.core.registry.internal;

/**
 * A name a definition refers to (a tool, an agent to hand over to) that can only be checked once
 * everything is loaded, with the place to blame if it does not exist.
 */
public record Ref(String name, int line, String field) {}
