package dev.guildhall.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guildhall.core.RunId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunSnapshot;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.server.WorkflowIds;
import dev.guildhall.server.WorkspaceCatalog;
import dev.guildhall.server.api.RunViews.RunPage;
import dev.guildhall.server.api.RunViews.RunSummaryView;
import dev.guildhall.server.api.RunViews.RunView;
import dev.guildhall.server.api.RunViews.StepView;
import dev.guildhall.server.security.Caller;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns.Cursor;
import dev.guildhall.store.jdbc.JdbcWorkspaceRuns.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Runs of the caller's workspace. Every lookup goes through {@link JdbcWorkspaceRuns}, which reads
 * only that workspace's rows: a run of another workspace is answered 404, like one that never existed.
 */
@RestController
@RequestMapping("/api/v1/runs")
class RunsController {
    static final String NAME = "[A-Za-z0-9._:-]{1,200}";

    private final DurableRuntime runtime;
    private final JdbcWorkspaceRuns runs;
    private final WorkspaceCatalog catalog;
    private final RunEventStreams streams;

    private final AuditController.Recorder audit;

    RunsController(
            DurableRuntime runtime,
            JdbcWorkspaceRuns runs,
            WorkspaceCatalog catalog,
            RunEventStreams streams,
            AuditController.Recorder audit) {
        this.runtime = runtime;
        this.runs = runs;
        this.catalog = catalog;
        this.streams = streams;
        this.audit = audit;
    }

    /**
     * @param input the run's input, a JSON object (its fields become the initial state); absent means {}
     */
    record StartRun(@NotBlank @Size(max = 200) String workflow, @Nullable JsonNode input) {}

    record SignalRequest(@NotBlank @Pattern(regexp = NAME) String name, @Nullable JsonNode payload) {}

    record CancelRequest(@Nullable @Size(max = 1000) String reason) {}

    @PostMapping
    @PreAuthorize("hasAuthority('SCOPE_runs:write')")
    ResponseEntity<RunView> start(
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
            @Valid @RequestBody StartRun body,
            HttpServletRequest http) {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,200}")) {
            throw ProblemException.invalid(
                    "Idempotency-Key", "Idempotency-Key must be 1 to 200 printable ASCII characters without spaces");
        }
        JsonNode input = body.input() == null || body.input().isNull() ? Json.object() : body.input();
        if (!input.isObject()) {
            throw ProblemException.invalid("input", "input must be a JSON object, was " + input.getNodeType());
        }
        WorkspaceCatalog.Entry entry = catalog.workflow(caller.workspace(), body.workflow())
                .orElseThrow(() -> ProblemException.notFound("Workflow", body.workflow()));
        Workflow workflow = entry.workflow();
        if (idempotencyKey != null) {
            Optional<RunSnapshot> existing = runtime.store().findByIdempotencyKey(caller.workspace(), idempotencyKey);
            if (existing.isPresent()) {
                RunSnapshot run = existing.get();
                if (!WorkflowIds.publicId(run.workflowId()).equals(entry.id())) {
                    throw new ProblemException(Problems.of(
                            HttpStatus.CONFLICT,
                            Problems.CONFLICT,
                            "Idempotency key reused",
                            "This Idempotency-Key already started a run of another workflow"));
                }
                return ResponseEntity.ok(RunView.of(run));
            }
        }
        StartRequest request = new StartRequest(caller.workspace(), input, caller.user(), idempotencyKey);
        RunId id = runtime.engine().start(workflow, request).id();
        audit.record(caller, "run.start", id.value(), "workflow=" + entry.id(), http);
        RunSnapshot run = runs.find(caller.workspace(), id).orElseThrow();
        return ResponseEntity.created(URI.create("/api/v1/runs/" + id.value())).body(RunView.of(run));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAuthority('SCOPE_runs:read')")
    RunView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return RunView.of(find(caller.workspace(), id));
    }

    @GetMapping
    @PreAuthorize("hasAuthority('SCOPE_runs:read')")
    RunPage list(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable @Size(max = 200) String workflow,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        RunStatus wanted = null;
        if (status != null) {
            try {
                wanted = RunStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid(
                        "status", "status must be one of " + List.of(RunStatus.values()) + ", was " + status);
            }
        }
        Page page = runs.listOfWorkflows(
                caller.workspace(),
                wanted,
                workflow == null ? null : catalog.engineIds(caller.workspace(), workflow),
                decode(cursor),
                limit);
        return new RunPage(page.runs().stream().map(RunSummaryView::of).toList(), encode(page.next()));
    }

    @PostMapping("/{id}/cancel")
    @PreAuthorize("hasAuthority('SCOPE_runs:write')")
    ResponseEntity<RunView> cancel(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody(required = false) @Nullable CancelRequest body,
            HttpServletRequest http) {
        RunSnapshot run = find(caller.workspace(), id);
        String reason = body == null || body.reason() == null ? "cancelled by " + caller.user() : body.reason();
        runtime.engine().cancel(run.id(), reason);
        audit.record(caller, "run.cancel", run.id().value(), reason, http);
        return ResponseEntity.accepted().body(RunView.of(find(caller.workspace(), id)));
    }

    @PostMapping("/{id}/signals")
    @PreAuthorize("hasAuthority('SCOPE_runs:write')")
    ResponseEntity<RunView> signal(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @Valid @RequestBody SignalRequest body,
            HttpServletRequest http) {
        RunSnapshot run = find(caller.workspace(), id);
        if (run.status().isTerminal()) {
            throw new ProblemException(conflict("Run " + id + " is " + run.status() + " and takes no more signals"));
        }
        JsonNode payload = body.payload() == null ? Json.object() : body.payload();
        runtime.engine().signal(run.id(), body.name(), payload);
        audit.record(caller, "run.signal", run.id().value(), "signal=" + body.name(), http);
        return ResponseEntity.accepted().body(RunView.of(find(caller.workspace(), id)));
    }

    @GetMapping("/{id}/steps")
    @PreAuthorize("hasAuthority('SCOPE_runs:read')")
    List<StepView> steps(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return runs
                .history(caller.workspace(), runId(id))
                .orElseThrow(() -> ProblemException.notFound("Run", id))
                .stream()
                .map(StepView::of)
                .toList();
    }

    /**
     * The run's checkpoints as Server-Sent Events, from the one after {@code Last-Event-ID} (a
     * version) or from the start; the stream ends after the terminal event.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_runs:read')")
    SseEmitter events(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        RunSnapshot run = find(caller.workspace(), id);
        long after = -1;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("Last-Event-ID", "Last-Event-ID must be an event id of this stream");
            }
        }
        return streams.open(caller.workspace(), run.id(), after);
    }

    @PostMapping("/{id}/retry")
    @PreAuthorize("hasAuthority('SCOPE_runs:write')")
    ResponseEntity<RunView> retry(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, HttpServletRequest http) {
        RunSnapshot run = find(caller.workspace(), id);
        if (!runtime.retry(run.id())) {
            throw new ProblemException(conflict("Run " + id + " is not a dead letter"));
        }
        audit.record(caller, "run.retry", run.id().value(), "", http);
        return ResponseEntity.accepted().body(RunView.of(find(caller.workspace(), id)));
    }

    private RunSnapshot find(WorkspaceId workspace, String id) {
        return runs.find(workspace, runId(id)).orElseThrow(() -> ProblemException.notFound("Run", id));
    }

    private static RunId runId(String id) {
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw ProblemException.notFound("Run", id);
        }
        return RunId.of(id);
    }

    private static ProblemDetail conflict(String detail) {
        return Problems.of(HttpStatus.CONFLICT, Problems.CONFLICT, "Conflict", detail);
    }

    static @Nullable String encode(@Nullable Cursor cursor) {
        if (cursor == null) {
            return null;
        }
        String raw =
                cursor.createdAt().getEpochSecond() + "." + cursor.createdAt().getNano() + ":" + cursor.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static @Nullable Cursor decode(@Nullable String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            String[] time = raw.substring(0, colon).split("\\.");
            Instant at = Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1]));
            return new Cursor(at, runId(raw.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw ProblemException.invalid("cursor", "cursor is not one this server issued");
        }
    }
}
