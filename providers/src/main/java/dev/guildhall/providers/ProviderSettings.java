package dev.guildhall.providers;

import dev.guildhall.core.Checks;
import org.jspecify.annotations.Nullable;

/**
 * One configured provider: the name routes use, its kind, where it listens and its key. {@link
 * #toString()} never shows the key.
 *
 * @param baseUrl null for the provider's public endpoint (Ollama: {@code http://localhost:11434})
 * @param apiKey null when the server needs none (local OpenAI-compatible servers, Ollama)
 */
public record ProviderSettings(String name, ProviderType type, @Nullable String baseUrl, @Nullable String apiKey) {
    public ProviderSettings {
        Checks.notBlank(name, "name");
        Checks.check(!name.contains(":"), "provider name must not contain ':', was \"" + name + "\"");
        Checks.notNull(type, "type");
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.trim();
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        Checks.check(
                type != ProviderType.ANTHROPIC || apiKey != null, "provider " + name + " (anthropic) needs an api-key");
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=%s, type=%s, baseUrl=%s, apiKey=%s]"
                .formatted(
                        name, type.wireName(), baseUrl == null ? "default" : baseUrl, apiKey == null ? "none" : "****");
    }
}
