package dev.guildhall.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.guildhall.core.GuildhallException;
import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.RetryableException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place errors become RFC 9457 problem documents: Spring MVC's own errors get a stable
 * {@code type} by status, validation errors name the field, and anything unexpected is a 500 that
 * says nothing about the server's insides (it is logged instead).
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemAdvice.class);

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail p) {
            if (p.getType() == null || "about:blank".equals(p.getType().toString())) {
                p.setType(Problems.typeFor(p.getStatus()));
            }
        }
        return response;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(e -> Map.of("field", e.getField(), "message", String.valueOf(e.getDefaultMessage())))
                .toList();
        Map<String, String> first = errors.isEmpty() ? Map.of("field", "", "message", "invalid") : errors.get(0);
        ProblemDetail p = Problems.invalid(first.get("field"), first.get("field") + " " + first.get("message"));
        p.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(p);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = ex.getParameterValidationResults().stream()
                .findFirst()
                .map(r -> r.getMethodParameter().getParameterName())
                .orElse("");
        String message = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream())
                .map(e -> String.valueOf(e.getDefaultMessage()))
                .collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(Problems.invalid(field, field + " " + message));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeFilter.TooLarge) {
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                        .body(Problems.of(
                                HttpStatus.PAYLOAD_TOO_LARGE,
                                Problems.TOO_LARGE,
                                "Request too large",
                                "The request body is over the limit"));
            }
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return ResponseEntity.badRequest()
                    .body(Problems.invalid(field, "unknown field '" + u.getPropertyName() + "'"));
        }
        if (cause instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = path(m);
            return ResponseEntity.badRequest().body(Problems.invalid(field, field + " has the wrong type or format"));
        }
        String detail = cause instanceof JsonProcessingException j
                ? "malformed JSON at line "
                        + (j.getLocation() == null ? "?" : j.getLocation().getLineNr())
                : "the request body is missing or is not JSON";
        return ResponseEntity.badRequest()
                .body(Problems.of(HttpStatus.BAD_REQUEST, Problems.MALFORMED, "Malformed request", detail));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return Problems.invalid(e.getName(), e.getName() + " has the wrong format");
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ProblemDetail constraintViolation(jakarta.validation.ConstraintViolationException e) {
        var violation = e.getConstraintViolations().stream().findFirst();
        String path = violation.map(v -> v.getPropertyPath().toString()).orElse("");
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return Problems.invalid(
                field, field + " " + violation.map(v -> v.getMessage()).orElse("is invalid"));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail denied(AccessDeniedException e) {
        return Problems.of(
                HttpStatus.FORBIDDEN,
                Problems.FORBIDDEN,
                "Forbidden",
                "Your role or key does not grant this operation");
    }

    /**
     * A registered workflow that no longer parses against the agents the deployment has now (an agent
     * it names was removed from the pack): the stored definition is kept, the request cannot use it.
     */
    @ExceptionHandler(dev.guildhall.core.definition.InvalidDefinitionException.class)
    ProblemDetail staleDefinition(dev.guildhall.core.definition.InvalidDefinitionException e) {
        ProblemDetail p = Problems.invalidDefinition(e.errors());
        p.setStatus(HttpStatus.CONFLICT.value());
        p.setTitle("Stored definition no longer valid");
        return p;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return Problems.notFound(e.kind(), e.id());
    }

    @ExceptionHandler(RetryableException.class)
    ResponseEntity<ProblemDetail> unavailable(RetryableException e) {
        LOG.warn("Request failed with a retryable error: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        Problems.UNAVAILABLE,
                        "Temporarily unavailable",
                        "A backing service is unavailable; try again"));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof GuildhallException) {
            LOG.error("Request {} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
        } else {
            LOG.error("Request {} {} failed", request.getMethod(), request.getRequestURI(), e);
        }
        ProblemDetail p = Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR, Problems.INTERNAL, "Internal error", "The server could not do this");
        p.setInstance(URI.create(request.getRequestURI()));
        return p;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }
}
