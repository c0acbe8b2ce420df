package dev.guildhall.server.api;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Thrown by controllers to answer with a given problem document. */
public final class ProblemException extends ErrorResponseException {
    private static final long serialVersionUID = 1L;

    public ProblemException(ProblemDetail problem) {
        super(org.springframework.http.HttpStatusCode.valueOf(problem.getStatus()), problem, null);
    }

    public static ProblemException notFound(String kind, Object id) {
        return new ProblemException(Problems.notFound(kind, id));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problems.conflict(detail));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problems.forbidden(detail));
    }

    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problems.invalid(field, detail));
    }
}
