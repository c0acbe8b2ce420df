package dev.guildhall.server.api;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The kinds of error the API answers with, each a stable {@code type} URI (RFC 9457). Clients
 * branch on the type, never on the wording of {@code detail}.
 */
public final class Problems {
    public static final String BASE = "https://guildhall.dev/problems/";
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    public static final URI VALIDATION = URI.create(BASE + "validation");
    public static final URI MALFORMED = URI.create(BASE + "malformed-request");
    public static final URI UNAUTHENTICATED = URI.create(BASE + "unauthenticated");
    public static final URI INVALID_CREDENTIALS = URI.create(BASE + "invalid-credentials");
    public static final URI FORBIDDEN = URI.create(BASE + "forbidden");
    public static final URI CONFLICT = URI.create(BASE + "conflict");
    /** An agent or workflow definition breaks the rules; {@code errors} lists each with line and field. */
    public static final URI INVALID_DEFINITION = URI.create(BASE + "invalid-definition");

    public static final URI TOO_LARGE = URI.create(BASE + "payload-too-large");
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
    public static final URI RATE_LIMITED = URI.create(BASE + "rate-limited");
    public static final URI UNAVAILABLE = URI.create(BASE + "unavailable");
    public static final URI INTERNAL = URI.create(BASE + "internal");

    private Problems() {}

    public static ProblemDetail of(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(type);
        p.setTitle(title);
        return p;
    }

    /** A validation problem naming the offending field (a JSON path such as {@code input} or {@code scopes[1]}). */
    public static ProblemDetail invalid(String field, String detail) {
        ProblemDetail p = of(HttpStatus.BAD_REQUEST, VALIDATION, "Invalid request", detail);
        p.setProperty("field", field);
        return p;
    }

    /** The type a status gets when nothing more specific is known. */
    public static URI typeFor(int status) {
        return switch (status) {
            case 400 -> MALFORMED;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL : URI.create(BASE + "http-" + status);
        };
    }

    public static ProblemDetail conflict(String detail) {
        return of(HttpStatus.CONFLICT, CONFLICT, "Conflict", detail);
    }

    public static ProblemDetail forbidden(String detail) {
        return of(HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", detail);
    }

    /** 422 with every problem of a definition: {@code errors} of {source, line, field, message}. */
    public static ProblemDetail invalidDefinition(
            java.util.List<dev.guildhall.core.definition.DefinitionError> errors) {
        ProblemDetail p = of(
                HttpStatus.UNPROCESSABLE_ENTITY,
                INVALID_DEFINITION,
                "Invalid definition",
                errors.size() == 1 ? errors.get(0).format() : errors.size() + " problems in the definition");
        p.setProperty(
                "errors",
                errors.stream()
                        .map(e -> {
                            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                            m.put("line", e.line());
                            if (e.field() != null) {
                                m.put("field", e.field());
                            }
                            m.put("message", e.message());
                            return m;
                        })
                        .toList());
        return p;
    }

    public static ProblemDetail notFound(String kind, @Nullable Object id) {
        return of(HttpStatus.NOT_FOUND, NOT_FOUND, kind + " not found", kind + " " + id + " not found");
    }
}
