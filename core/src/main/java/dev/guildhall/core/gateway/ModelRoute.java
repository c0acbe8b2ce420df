package dev.guildhall.core.gateway;

import dev.guildhall.core.Checks;

/**
 * One place a call can go: a configured provider and a model it serves, written {@code
 * provider:model} in configuration ({@code openai:gpt-4o-mini}, {@code ollama:llama3.1:8b}). Only
 * the first colon separates the two, so model names may contain colons.
 */
public record ModelRoute(String provider, String model) {
    public ModelRoute {
        Checks.notBlank(provider, "provider");
        Checks.notBlank(model, "model");
        Checks.check(!provider.contains(":"), "provider must not contain ':', was \"" + provider + "\"");
        Checks.check(
                provider.equals(provider.trim()) && model.equals(model.trim()),
                "route must not have surrounding spaces, was \"" + provider + ":" + model + "\"");
    }

    public static ModelRoute of(String provider, String model) {
        return new ModelRoute(provider, model);
    }

    /**
     * Parses {@code provider:model}.
     *
     * @throws IllegalArgumentException when the text has no colon or an empty side
     */
    public static ModelRoute parse(String text) {
        Checks.notBlank(text, "route");
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("route must look like provider:model, was \"" + text + "\"");
        }
        return new ModelRoute(
                t.substring(0, colon).trim(), t.substring(colon + 1).trim());
    }

    @Override
    public String toString() {
        return provider + ":" + model;
    }
}
