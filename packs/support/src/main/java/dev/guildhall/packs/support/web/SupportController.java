package dev.guildhall.packs.support.web;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.cost.SpendQuery;
import dev.guildhall.core.cost.SpendRow;
import dev.guildhall.core.workspace.WorkspaceCaller;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.packs.support.SupportDesk;
import dev.guildhall.packs.support.agents.SlaWatch;
import dev.guildhall.packs.support.agents.TrendAnalyst;
import dev.guildhall.packs.support.desk.SupportAnalytics;
import dev.guildhall.packs.support.desk.SupportConversations;
import dev.guildhall.packs.support.desk.SupportRecords;
import dev.guildhall.packs.support.desk.SupportRecords.Author;
import dev.guildhall.packs.support.desk.SupportRecords.Channel;
import dev.guildhall.packs.support.desk.SupportRecords.Conversation;
import dev.guildhall.packs.support.desk.SupportRecords.Customer;
import dev.guildhall.packs.support.desk.SupportRecords.Message;
import dev.guildhall.packs.support.desk.SupportRecords.Status;
import dev.guildhall.packs.support.desk.SupportStore;
import dev.guildhall.packs.support.faq.BankingFaq;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The support desk's REST API under {@code /api/v1/support}: customers, conversations and their
 * messages, always in the caller's workspace (another workspace's ids are 404). Reads need
 * {@code runs:read}; writes need {@code runs:write}, since a customer's message starts a desk run;
 * installing the demo help centre needs {@code workspace:admin}. Errors are problem details with
 * {@code https://guildhall.dev/problems/...} types.
 */
@RestController
@RequestMapping("/api/v1/support")
public class SupportController {
    static final String PROBLEMS = "https://guildhall.dev/problems/";

    private final SupportConversations conversations;
    private final SupportDesk desk;
    private final @Nullable KnowledgeBase knowledge;
    private final @Nullable DemoSeeding seeding;
    private final @Nullable CostLedger costs;

    public SupportController(
            SupportConversations conversations,
            SupportDesk desk,
            @Nullable KnowledgeBase knowledge,
            @Nullable DemoSeeding seeding,
            @Nullable CostLedger costs) {
        this.conversations = conversations;
        this.desk = desk;
        this.knowledge = knowledge;
        this.seeding = seeding;
        this.costs = costs;
    }

    public record CustomerBody(
            @Nullable String id,
            @Nullable String name,
            @Nullable String email,
            @Nullable String plan,
            @Nullable BigDecimal lifetimeValue,
            @Nullable String health) {}

    public record ConversationBody(
            @Nullable String customerId,
            @Nullable String channel,
            @Nullable String assignee,
            @Nullable List<String> tags) {}

    public record MessageBody(@Nullable String author, @Nullable String text) {}

    /**
     * Changes to a conversation; absent fields stay. {@code assignee} names the staff member it is
     * assigned to, an empty string unassigns it; {@code tags} replaces the tags.
     */
    public record ConversationPatch(
            @Nullable String status, @Nullable Integer csat, @Nullable String assignee, @Nullable List<String> tags) {}

    public record ConversationView(Conversation conversation, List<Message> messages) {}

    // ---- customers

    @PostMapping("/customers")
    public ResponseEntity<Customer> createCustomer(
            @AuthenticationPrincipal WorkspaceCaller caller, @RequestBody CustomerBody body) {
        require(caller, "runs:write");
        Customer c = customer(body.id() == null ? "cus_" + shortId() : body.id(), body, null);
        try {
            conversations.store().createCustomer(caller.workspace(), c);
        } catch (IllegalArgumentException e) {
            throw problem(HttpStatus.CONFLICT, "conflict", e.getMessage());
        }
        return ResponseEntity.created(URI.create("/api/v1/support/customers/" + c.id()))
                .body(c);
    }

    @GetMapping("/customers")
    public Map<String, List<Customer>> customers(
            @AuthenticationPrincipal WorkspaceCaller caller, @RequestParam(defaultValue = "100") int limit) {
        require(caller, "runs:read");
        return Map.of("items", conversations.store().customers(caller.workspace(), clamp(limit)));
    }

    @GetMapping("/customers/{id}")
    public Customer customer(@AuthenticationPrincipal WorkspaceCaller caller, @PathVariable String id) {
        require(caller, "runs:read");
        return conversations.store().customer(caller.workspace(), id).orElseThrow(() -> notFound("customer", id));
    }

    @PutMapping("/customers/{id}")
    public Customer updateCustomer(
            @AuthenticationPrincipal WorkspaceCaller caller, @PathVariable String id, @RequestBody CustomerBody body) {
        require(caller, "runs:write");
        Customer existing =
                conversations.store().customer(caller.workspace(), id).orElseThrow(() -> notFound("customer", id));
        Customer c = customer(id, body, existing);
        conversations.store().updateCustomer(caller.workspace(), c);
        return c;
    }

    // ---- conversations

    @PostMapping("/conversations")
    public ResponseEntity<Conversation> createConversation(
            @AuthenticationPrincipal WorkspaceCaller caller, @RequestBody ConversationBody body) {
        require(caller, "runs:write");
        String customerId = field(body.customerId(), "customerId");
        if (conversations.store().customer(caller.workspace(), customerId).isEmpty()) {
            // 404 like any other reference to a resource the caller's workspace does not have.
            throw notFound("customer", customerId);
        }
        Channel channel = body.channel() == null ? Channel.API : parse(Channel.class, "channel", body.channel());
        var now = conversations.clock().instant();
        Conversation c;
        try {
            c = new Conversation(
                    "con_" + shortId(),
                    customerId,
                    channel,
                    Status.OPEN,
                    body.assignee(),
                    body.tags() == null ? List.of() : body.tags(),
                    null,
                    null,
                    now,
                    now);
        } catch (IllegalArgumentException e) {
            throw invalid("conversation", e.getMessage());
        }
        if (c.tags().stream().anyMatch(t -> t.isBlank() || t.contains(","))) {
            throw invalid("tags", "tags must be non-blank and contain no commas");
        }
        conversations.store().createConversation(caller.workspace(), c);
        return ResponseEntity.created(URI.create("/api/v1/support/conversations/" + c.id()))
                .body(c);
    }

    /**
     * A page of the workspace's conversations, most recently updated first, filtered by status,
     * assignee, tag and channel; {@code nextCursor} (absent on the last page) asks for the next.
     */
    @GetMapping("/conversations")
    public Map<String, Object> conversations(
            @AuthenticationPrincipal WorkspaceCaller caller,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String assignee,
            @RequestParam(required = false) @Nullable String tag,
            @RequestParam(required = false) @Nullable String channel,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "100") int limit) {
        require(caller, "runs:read");
        SupportStore.ConversationFilter filter = new SupportStore.ConversationFilter(
                status == null ? null : parse(Status.class, "status", status),
                assignee == null ? null : field(assignee, "assignee"),
                tag == null ? null : field(tag, "tag"),
                channel == null ? null : parse(Channel.class, "channel", channel));
        int size = clamp(limit);
        // One more than asked tells whether there is a next page.
        List<Conversation> page =
                conversations.store().conversations(caller.workspace(), filter, decode(cursor), size + 1);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("items", page.subList(0, Math.min(size, page.size())));
        if (page.size() > size) {
            Conversation last = page.get(size - 1);
            out.put("nextCursor", encode(new SupportStore.ConversationCursor(last.updatedAt(), last.id())));
        }
        return out;
    }

    static String encode(SupportStore.ConversationCursor cursor) {
        String raw =
                cursor.updatedAt().getEpochSecond() + "." + cursor.updatedAt().getNano() + ":" + cursor.id();
        return java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static SupportStore.@Nullable ConversationCursor decode(@Nullable String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(
                    java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            int dot = raw.indexOf('.');
            if (dot < 0 || colon < dot || colon == raw.length() - 1) {
                throw new IllegalArgumentException("malformed");
            }
            Instant at = Instant.ofEpochSecond(
                    Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1, colon)));
            return new SupportStore.ConversationCursor(at, raw.substring(colon + 1));
        } catch (RuntimeException e) {
            throw invalid("cursor", "cursor is not one this server issued");
        }
    }

    @GetMapping("/conversations/{id}")
    public ConversationView conversation(@AuthenticationPrincipal WorkspaceCaller caller, @PathVariable String id) {
        require(caller, "runs:read");
        return conversations
                .view(caller.workspace(), id)
                .map(v -> new ConversationView(v.conversation(), v.messages()))
                .orElseThrow(() -> notFound("conversation", id));
    }

    @PostMapping("/conversations/{id}/messages")
    public ResponseEntity<Message> post(
            @AuthenticationPrincipal WorkspaceCaller caller, @PathVariable String id, @RequestBody MessageBody body) {
        require(caller, "runs:write");
        Author author = body.author() == null ? Author.CUSTOMER : parse(Author.class, "author", body.author());
        String text = field(body.text(), "text");
        if (author == Author.CUSTOMER && seeding != null && seeding.pending(caller.workspace())) {
            // The message would be escalated for want of a router; better to say when to come back.
            ErrorResponseException busy = problem(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "desk-starting",
                    "the demo workspace's support desk is still training its router; try again shortly");
            busy.getHeaders().set(HttpHeaders.RETRY_AFTER, "15");
            throw busy;
        }
        Message m;
        try {
            m = conversations
                    .post(caller.workspace(), caller.user(), id, author, text)
                    .orElseThrow(() -> notFound("conversation", id));
        } catch (IllegalArgumentException e) {
            throw invalid(author == Author.AGENT ? "author" : "text", e.getMessage());
        }
        // 202: the desk answers asynchronously; the conversation shows the reply when its run ends.
        return ResponseEntity.accepted().body(m);
    }

    @PatchMapping("/conversations/{id}")
    public ConversationView update(
            @AuthenticationPrincipal WorkspaceCaller caller,
            @PathVariable String id,
            @RequestBody ConversationPatch body) {
        require(caller, "runs:write");
        WorkspaceId ws = caller.workspace();
        if (conversations.store().conversation(ws, id).isEmpty()) {
            throw notFound("conversation", id);
        }
        var now = conversations.clock().instant();
        if (body.csat() != null) {
            if (body.csat() < 1 || body.csat() > 5) {
                throw invalid("csat", "csat must be between 1 and 5, was " + body.csat());
            }
            conversations.store().setCsat(ws, id, body.csat(), now);
        }
        if (body.assignee() != null) {
            String assignee = body.assignee().isBlank() ? null : field(body.assignee(), "assignee");
            if (assignee != null && assignee.length() > 200) {
                throw invalid("assignee", "assignee must be at most 200 characters");
            }
            conversations.store().setAssignee(ws, id, assignee, now);
        }
        if (body.tags() != null) {
            if (body.tags().size() > 20
                    || body.tags().stream()
                            .anyMatch(t -> t == null || t.isBlank() || t.contains(",") || t.length() > 50)) {
                throw invalid(
                        "tags", "tags must be at most 20 non-blank tags of at most 50 characters, without commas");
            }
            conversations.store().setTags(ws, id, List.copyOf(new java.util.LinkedHashSet<>(body.tags())), now);
        }
        if (body.status() != null) {
            conversations.store().setStatus(ws, id, parse(Status.class, "status", body.status()), null, now);
        }
        return conversation(caller, id);
    }

    // ---- analytics

    /**
     * The desk's figures for the caller's workspace between {@code from} (inclusive) and {@code to}
     * (exclusive), ISO-8601 instants; by default the last 7 days. Needs {@code runs:read}.
     */
    @GetMapping("/analytics")
    public SupportAnalytics analytics(
            @AuthenticationPrincipal WorkspaceCaller caller,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to) {
        require(caller, "runs:read");
        Window window = window(from, to);
        Instant start = window.start();
        Instant end = window.end();
        SupportAnalytics figures = conversations.store().analytics(caller.workspace(), start, end);
        if (costs == null) {
            return figures;
        }
        java.util.Map<String, java.math.BigDecimal> byAgent = new java.util.TreeMap<>();
        for (SpendRow row : costs.spend(
                new SpendQuery(caller.workspace(), null, null, start, end, List.of(SpendQuery.GroupBy.AGENT)))) {
            if (row.agent() != null) {
                byAgent.merge(row.agent().value(), row.cost(), java.math.BigDecimal::add);
            }
        }
        return figures.withCostByAgent(byAgent);
    }

    /**
     * The intents whose volume rose or fell sharply in the window against the window of the same
     * length just before it (the {@code trend-analyst} agent's rule); by default the last 7 days
     * against the 7 before.
     */
    @GetMapping("/analytics/trends")
    public Map<String, Object> trends(
            @AuthenticationPrincipal WorkspaceCaller caller,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(defaultValue = "5") int minMessages) {
        require(caller, "runs:read");
        Window window = window(from, to);
        Instant start = window.start();
        Instant end = window.end();
        if (minMessages < 1 || minMessages > 1_000_000) {
            throw invalid("minMessages", "minMessages must be between 1 and 1000000, was " + minMessages);
        }
        Instant previousStart = start.minus(java.time.Duration.between(start, end));
        Map<String, Long> current =
                conversations.store().analytics(caller.workspace(), start, end).byIntent();
        Map<String, Long> previous = conversations
                .store()
                .analytics(caller.workspace(), previousStart, start)
                .byIntent();
        TrendAnalyst.Trends trends = TrendAnalyst.analyse(current, previous, minMessages);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("from", start);
        out.put("to", end);
        out.put("previousFrom", previousStart);
        out.put("rising", trends.rising());
        out.put("falling", trends.falling());
        return out;
    }

    /**
     * Unresolved conversations past the response target (the customer's last message unanswered
     * for longer than {@code responseMinutes}) or the resolution target (open longer than {@code
     * resolutionHours}), longest wait first: the {@code sla-watch} agent's rule.
     */
    @GetMapping("/sla")
    public Map<String, Object> sla(
            @AuthenticationPrincipal WorkspaceCaller caller,
            @RequestParam(defaultValue = "60") int responseMinutes,
            @RequestParam(defaultValue = "24") int resolutionHours) {
        require(caller, "runs:read");
        if (responseMinutes < 1 || responseMinutes > 100_000) {
            throw invalid("responseMinutes", "responseMinutes must be between 1 and 100000, was " + responseMinutes);
        }
        if (resolutionHours < 1 || resolutionHours > 10_000) {
            throw invalid("resolutionHours", "resolutionHours must be between 1 and 10000, was " + resolutionHours);
        }
        Instant now = conversations.clock().instant();
        List<SlaWatch.Breach> breaches = SlaWatch.watch(
                conversations.store().slaFacts(caller.workspace(), 10_000),
                now,
                java.time.Duration.ofMinutes(responseMinutes),
                java.time.Duration.ofHours(resolutionHours));
        return Map.of("at", now, "breaches", breaches);
    }

    /** An analytics window: {@code from} inclusive, {@code to} exclusive. */
    private record Window(Instant start, Instant end) {}

    /** The window the caller asked for; by default the last 7 days, and never over 366. */
    private Window window(@Nullable String from, @Nullable String to) {
        Instant end = to == null ? conversations.clock().instant() : instant("to", to);
        Instant start = from == null ? end.minus(java.time.Duration.ofDays(7)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw invalid("from", "from must be before to");
        }
        if (java.time.Duration.between(start, end).compareTo(java.time.Duration.ofDays(366)) > 0) {
            throw invalid("from", "the window is at most 366 days");
        }
        return new Window(start, end);
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(
                    field,
                    field + " must be an ISO-8601 instant such as 2026-11-22T00:00:00Z, was '"
                            + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        }
    }

    // ---- demo

    /**
     * Installs the pack's online-banking help centre in the caller's workspace and trains its
     * router on the pack's example messages, so the desk can answer there.
     */
    @PostMapping("/demo")
    public Map<String, Object> installDemo(@AuthenticationPrincipal WorkspaceCaller caller) {
        require(caller, "workspace:admin");
        if (knowledge == null) {
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "this server has no knowledge base");
        }
        BankingFaq.install(knowledge, caller.workspace());
        var examples = BankingFaq.examples();
        desk.routers().train(caller.workspace(), examples);
        return Map.of(
                "workspace", caller.workspace().value(),
                "articles", BankingFaq.intents().size(),
                "trainingExamples", examples.size());
    }

    // ---- helpers

    private Customer customer(String id, CustomerBody body, @Nullable Customer existing) {
        try {
            return new Customer(
                    id,
                    pick(body.name(), existing == null ? null : existing.name(), "name"),
                    body.email() != null ? body.email() : existing == null ? null : existing.email(),
                    body.plan() != null ? body.plan() : existing == null ? "standard" : existing.plan(),
                    body.lifetimeValue() != null
                            ? body.lifetimeValue()
                            : existing == null ? BigDecimal.ZERO : existing.lifetimeValue(),
                    body.health() != null ? body.health() : existing == null ? "healthy" : existing.health(),
                    existing == null ? conversations.clock().instant() : existing.createdAt());
        } catch (IllegalArgumentException e) {
            throw invalid("customer", e.getMessage());
        }
    }

    private static String pick(@Nullable String value, @Nullable String fallback, String field) {
        if (value != null) {
            return field(value, field);
        }
        if (fallback != null) {
            return fallback;
        }
        throw invalid(field, field + " is required");
    }

    private static String field(@Nullable String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field, field + " is required");
        }
        return value;
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return SupportRecords.parse(type, field, value);
        } catch (IllegalArgumentException e) {
            throw invalid(field, e.getMessage());
        }
    }

    private static int clamp(int limit) {
        if (limit < 1 || limit > 500) {
            throw invalid("limit", "limit must be between 1 and 500, was " + limit);
        }
        return limit;
    }

    private static void require(@Nullable WorkspaceCaller caller, String scope) {
        if (caller == null) {
            throw problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "authentication is required");
        }
        if (!caller.hasScope(scope)) {
            throw problem(HttpStatus.FORBIDDEN, "forbidden", "this needs the scope " + scope);
        }
    }

    private static ErrorResponseException notFound(String what, String id) {
        return problem(HttpStatus.NOT_FOUND, "not-found", what + " '" + id + "' not found");
    }

    private static ErrorResponseException invalid(String field, String detail) {
        ErrorResponseException e = problem(HttpStatus.BAD_REQUEST, "validation", detail);
        e.getBody().setProperty("field", field);
        return e;
    }

    private static ErrorResponseException problem(HttpStatus status, String type, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(PROBLEMS + type));
        return new ErrorResponseException(status, p, null);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
