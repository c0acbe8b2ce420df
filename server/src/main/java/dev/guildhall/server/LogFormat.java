package dev.guildhall.server;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code GUILDHALL_LOG_FORMAT} ({@code guildhall.log-format}): {@code json} (or {@code ecs}) turns on
 * Spring Boot's structured console logging in Elastic Common Schema, one JSON object per line;
 * {@code logstash} and {@code gelf} pick those formats; {@code text} or nothing keeps plain lines.
 * It runs before the logging system starts, which reads {@code logging.structured.format.console}.
 */
public final class LogFormat implements EnvironmentPostProcessor {
    static final String PROPERTY = "guildhall.log-format";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String format = environment.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        String structured =
                switch (format) {
                    case "", "text" -> null;
                    case "json", "ecs" -> "ecs";
                    case "logstash" -> "logstash";
                    case "gelf" -> "gelf";
                    default ->
                        throw new IllegalArgumentException(
                                "GUILDHALL_LOG_FORMAT must be json, logstash, gelf or text, was " + format);
                };
        if (structured != null && !environment.containsProperty("logging.structured.format.console")) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "guildhall-log-format", Map.of("logging.structured.format.console", structured)));
        }
    }
}
