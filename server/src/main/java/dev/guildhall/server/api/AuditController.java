package dev.guildhall.server.api;

import dev.guildhall.core.audit.AuditEntry;
import dev.guildhall.server.security.Caller;
import dev.guildhall.store.jdbc.JdbcAuditLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The workspace's audit log: every write through the API, who, what, when and from where. */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {
    private final JdbcAuditLog log;
    private final Clock clock;

    AuditController(JdbcAuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    record AuditView(String actor, String action, String target, String detail, String source, Instant at) {
        static AuditView of(AuditEntry e) {
            return new AuditView(e.actor(), e.action(), e.target(), e.detail(), e.source(), e.at());
        }
    }

    /** Entries from {@code from} (default: a day ago) to {@code to} (default: now), newest first. */
    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_audit:read')")
    List<AuditView> list(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        Instant end = to == null ? clock.instant().plusSeconds(1) : to;
        Instant start = from == null ? end.minus(Duration.ofDays(1)) : from;
        if (!start.isBefore(end)) {
            throw ProblemException.invalid("from", "from must be before to");
        }
        return log.find(caller.workspace(), start, end, limit).stream()
                .map(AuditView::of)
                .toList();
    }

    /**
     * Writes one entry. Called after the write succeeded, outside its transaction: a crash in
     * between loses the entry, never the write.
     */
    @Component
    static class Recorder {
        private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
        private final JdbcAuditLog log;
        private final Clock clock;

        Recorder(JdbcAuditLog log, Clock clock) {
            this.log = log;
            this.clock = clock;
        }

        void record(Caller caller, String action, String target, String detail, HttpServletRequest request) {
            String actor = caller.viaApiKey()
                    ? caller.user().value() + " (" + caller.via() + ")"
                    : caller.user().value();
            try {
                log.append(new AuditEntry(
                        caller.workspace(), actor, action, target, detail, request.getRemoteAddr(), clock.instant()));
            } catch (RuntimeException e) {
                LOG.warn(
                        "Audit(workspace={}, action={}, target={}) not written: {}",
                        caller.workspace(),
                        action,
                        target,
                        e.toString());
            }
        }
    }
}
