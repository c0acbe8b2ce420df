package dev.guildhall.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request a fake server received, exactly as sent: method, path, headers (names in lower case) and
 * the raw body, so tests can assert what a client really put on the wire.
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {
    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
        return Json.parse(body);
    }
}
