package dev.guildhall.providers;

import java.util.Locale;

/** The kinds of model backend the gateway can reach. */
public enum ProviderType {
    /** OpenAI, or any server that speaks its API (vLLM, llama.cpp server, LM Studio) given a base URL. */
    OPENAI,
    ANTHROPIC,
    OLLAMA;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code openai|anthropic|ollama}, case-insensitively. */
    public static ProviderType parse(String value, String where) {
        for (ProviderType t : values()) {
            if (t.name().equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException(where + " must be one of openai, anthropic, ollama, was \"" + value + "\"");
    }
}
