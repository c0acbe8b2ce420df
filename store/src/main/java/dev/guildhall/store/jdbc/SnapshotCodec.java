package dev.guildhall.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.Failure;
import dev.guildhall.core.workflow.Wait;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** How a run snapshot's parts become the text columns of a checkpoint, and back. */
final class SnapshotCodec {
    private SnapshotCodec() {}

    /** A state split for storage: small values inline, large ones as payloads referenced by hash. */
    record SplitState(ObjectNode inline, ObjectNode refs, Map<String, String> payloads) {}

    static SplitState split(ObjectNode state, int inlineLimit) {
        ObjectNode inline = Json.object();
        ObjectNode refs = Json.object();
        Map<String, String> payloads = new LinkedHashMap<>();
        state.fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            if (value.isContainerNode()
                    || (value.isTextual() && value.textValue().length() > inlineLimit / 2)) {
                String body = Json.write(value);
                if (body.length() > inlineLimit) {
                    String hash = sha256(body);
                    refs.put(e.getKey(), hash);
                    payloads.put(hash, body);
                    return;
                }
            }
            inline.set(e.getKey(), value);
        });
        return new SplitState(inline, refs, payloads);
    }

    static String sha256(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String frontier(List<String> frontier) {
        ArrayNode a = Json.mapper().createArrayNode();
        frontier.forEach(a::add);
        return a.toString();
    }

    static List<String> frontier(String text) {
        List<String> out = new ArrayList<>();
        Json.parse(text).forEach(n -> out.add(n.asText()));
        return out;
    }

    static String visits(Map<String, Integer> visits) {
        ObjectNode o = Json.object();
        visits.forEach(o::put);
        return o.toString();
    }

    static Map<String, Integer> visits(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Json.parse(text)
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }

    static String waits(Map<String, Wait> waits) {
        ObjectNode o = Json.object();
        waits.forEach((node, wait) -> {
            ObjectNode w = o.putObject(node);
            if (wait instanceof Wait.Signal s) {
                w.put("kind", "signal");
                w.put("name", s.name());
            } else {
                w.put("kind", "timer");
            }
            if (wait.deadline() != null) {
                w.put("deadline", Sql.nanos(wait.deadline()));
            }
        });
        return o.toString();
    }

    static Map<String, Wait> waits(String text) {
        Map<String, Wait> out = new LinkedHashMap<>();
        Json.parse(text).fields().forEachRemaining(e -> {
            JsonNode w = e.getValue();
            JsonNode deadline = w.get("deadline");
            java.time.Instant at = deadline == null ? null : Sql.instant(deadline.asLong());
            out.put(
                    e.getKey(),
                    "signal".equals(w.path("kind").asText())
                            ? new Wait.Signal(w.path("name").asText(), at)
                            : new Wait.Timer(at));
        });
        return out;
    }

    static String journal(Map<String, Map<String, JsonNode>> journal) {
        ObjectNode o = Json.object();
        journal.forEach((node, calls) -> {
            ObjectNode c = o.putObject(node);
            calls.forEach(c::set);
        });
        return o.toString();
    }

    static Map<String, Map<String, JsonNode>> journal(String text) {
        Map<String, Map<String, JsonNode>> out = new LinkedHashMap<>();
        Json.parse(text).fields().forEachRemaining(e -> {
            Map<String, JsonNode> calls = new LinkedHashMap<>();
            e.getValue().fields().forEachRemaining(c -> calls.put(c.getKey(), c.getValue()));
            out.put(e.getKey(), calls);
        });
        return out;
    }

    static @Nullable String failure(@Nullable Failure failure) {
        return failure == null ? null : Json.write(failure);
    }

    static @Nullable Failure failure(@Nullable String text) {
        return text == null ? null : Json.convert(Json.parse(text), Failure.class);
    }
}
