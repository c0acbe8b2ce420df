package dev.guildhall.packs.support.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.guildhall.core.Checks;
import dev.guildhall.core.RunId;
import dev.guildhall.core.UserId;
import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.packs.support.DeskOutcome;
import dev.guildhall.packs.support.desk.SupportRecords.Author;
import dev.guildhall.packs.support.desk.SupportRecords.Channel;
import dev.guildhall.packs.support.desk.SupportRecords.Citation;
import dev.guildhall.packs.support.desk.SupportRecords.Conversation;
import dev.guildhall.packs.support.desk.SupportRecords.Message;
import dev.guildhall.packs.support.desk.SupportRecords.Status;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations driven by the desk: a customer's message starts a durable {@code support-desk}
 * run (idempotency key: the message id), and the run's outcome is written back as the next
 * message — the agent's cited reply, or an internal note with the hand-off summary — with the
 * conversation's status ({@code waiting} for the customer after a reply, {@code escalated} after a
 * hand-off or a failed run). The write-back happens when the run completes and again, if it did not
 * (a restart in between), whenever the conversation is read; the reply's id is derived from the
 * customer message's, so it is written once.
 */
public final class SupportConversations {
    private static final Logger LOG = LoggerFactory.getLogger(SupportConversations.class);
    /** Suffix of the desk's reply id: {@code <customer message id>-desk}. */
    static final String REPLY_SUFFIX = "-desk";

    private final SupportStore store;
    private final WorkflowEngine engine;
    private final Workflow desk;
    private final Runnable nudge;
    private final Clock clock;
    private final Consumer<SupportAnalytics.Outcome> listener;

    /**
     * @param nudge tells the node's worker a run was queued (so it does not wait for its idle poll)
     */
    public SupportConversations(SupportStore store, WorkflowEngine engine, Workflow desk, Runnable nudge, Clock clock) {
        this(store, engine, desk, nudge, clock, outcome -> {});
    }

    /**
     * @param listener told of every message the desk settles, once, after it is stored (metrics)
     */
    public SupportConversations(
            SupportStore store,
            WorkflowEngine engine,
            Workflow desk,
            Runnable nudge,
            Clock clock,
            Consumer<SupportAnalytics.Outcome> listener) {
        this.store = Checks.notNull(store, "store");
        this.engine = Checks.notNull(engine, "engine");
        this.desk = Checks.notNull(desk, "desk");
        this.nudge = Checks.notNull(nudge, "nudge");
        this.clock = Checks.notNull(clock, "clock");
        this.listener = Checks.notNull(listener, "listener");
    }

    public SupportStore store() {
        return store;
    }

    /** The engine's clock, which every timestamp of the desk's rows comes from. */
    public Clock clock() {
        return clock;
    }

    /** A conversation with its messages, after writing back any desk run that finished unrecorded. */
    public record View(Conversation conversation, List<Message> messages) {}

    public Optional<View> view(WorkspaceId workspace, String conversationId) {
        Optional<Conversation> found = store.conversation(workspace, conversationId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        List<Message> messages = store.messages(workspace, conversationId);
        boolean changed = false;
        for (Message m : messages) {
            if (m.author() == Author.CUSTOMER
                    && m.runId() != null
                    && messages.stream().noneMatch(r -> r.id().equals(m.id() + REPLY_SUFFIX))) {
                changed |= reconcile(workspace, m);
            }
        }
        if (changed) {
            return Optional.of(new View(
                    store.conversation(workspace, conversationId).orElseThrow(),
                    store.messages(workspace, conversationId)));
        }
        return Optional.of(new View(found.get(), messages));
    }

    private boolean reconcile(WorkspaceId workspace, Message customerMessage) {
        RunId run = RunId.of(customerMessage.runId());
        return engine.find(run)
                .filter(s -> s.status().isTerminal())
                .map(s -> {
                    // A terminal run's future is already complete.
                    settle(workspace, customerMessage, engine.completion(run).join());
                    return true;
                })
                .orElse(false);
    }

    /**
     * Adds a message. A customer's message starts the desk's run and opens the conversation again;
     * {@code agent} messages are the desk's own and are refused.
     *
     * @return empty when the conversation is not the workspace's
     * @throws IllegalArgumentException for an agent-authored or blank message
     */
    public Optional<Message> post(
            WorkspaceId workspace, @Nullable UserId user, String conversationId, Author author, String text) {
        Checks.check(author != Author.AGENT, "author 'agent' is reserved for the desk's replies");
        Checks.check(text != null && !text.isBlank(), "text must not be blank");
        Checks.check(text.length() <= 10_000, "text must be at most 10000 characters");
        Optional<Conversation> found = store.conversation(workspace, conversationId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Conversation conversation = found.get();
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Message message = new Message(id, conversationId, author, text, List.of(), null, clock.instant());
        store.addMessage(workspace, message);
        if (author != Author.CUSTOMER) {
            return Optional.of(message);
        }
        ObjectNode input = Json.object();
        input.put("message", text);
        input.put("customerId", conversation.customerId());
        input.put("channel", conversation.channel().wire());
        StartRequest request = StartRequest.of(workspace, input).withIdempotencyKey(id);
        if (user != null) {
            request = request.withUser(user);
        }
        RunId run = engine.start(desk, request).id();
        store.setRunId(workspace, id, run.value());
        store.setStatus(workspace, conversationId, Status.OPEN, null, clock.instant());
        Message started = new Message(id, conversationId, author, text, List.of(), run.value(), message.createdAt());
        writeBackWhenDone(workspace, started);
        nudge.run();
        return Optional.of(started);
    }

    /**
     * Watches the runs of messages still waiting for their outcome (after a restart, the runs this
     * node started before it stopped), so their replies are written back without anyone reading
     * the conversation.
     *
     * @return how many runs are now watched
     */
    public int watchPending() {
        List<java.util.Map.Entry<WorkspaceId, Message>> pending = store.awaitingOutcome(10_000);
        for (var p : pending) {
            try {
                writeBackWhenDone(p.getKey(), p.getValue());
            } catch (RuntimeException e) {
                // A run removed by retention: its message stays without an outcome.
                LOG.warn(
                        "Cannot watch desk run {} of message {}: {}",
                        p.getValue().runId(),
                        p.getValue().id(),
                        e.toString());
            }
        }
        return pending.size();
    }

    private void writeBackWhenDone(WorkspaceId workspace, Message started) {
        RunId run = RunId.of(started.runId());
        String id = started.id();
        engine.completion(run).whenComplete((result, error) -> {
            if (error != null) {
                LOG.warn("Desk run {} of message {} did not report completion: {}", run, id, error.toString());
                return; // The next read of the conversation reconciles it.
            }
            try {
                settle(workspace, started, result);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Writing back desk run {} of message {} failed; the next read retries: {}",
                        run,
                        id,
                        e.toString());
            }
        });
    }

    /**
     * Records how the run settled the customer's message, once. The status goes first: if the
     * process stops between the two writes, the missing reply makes the next read do both again.
     */
    void settle(WorkspaceId workspace, Message customerMessage, RunResult run) {
        String replyId = customerMessage.id() + REPLY_SUFFIX;
        if (store.hasMessage(workspace, replyId)) {
            return;
        }
        String conversationId = customerMessage.conversationId();
        Message reply;
        Status status;
        String intent = null;
        if (!run.succeeded()) {
            status = Status.ESCALATED;
            reply = new Message(
                    replyId,
                    conversationId,
                    Author.NOTE,
                    "The desk's run ended " + run.status()
                            + run.findFailure()
                                    .map(f -> " (" + f.message() + ")")
                                    .orElse("")
                            + "; a person needs to answer this message.",
                    List.of(),
                    run.id().value(),
                    clock.instant());
        } else {
            DeskOutcome outcome = DeskOutcome.of(run);
            intent = outcome.intent();
            if (outcome.escalated()) {
                status = Status.ESCALATED;
                reply = new Message(
                        replyId,
                        conversationId,
                        Author.NOTE,
                        outcome.summary() == null ? "Escalated to a person." : outcome.summary(),
                        List.of(),
                        run.id().value(),
                        clock.instant());
            } else {
                status = Status.WAITING;
                JsonNode answer = run.state().at("answer.output.answer");
                Citation citation = new Citation(
                        answer.path("source").asText(),
                        answer.path("title").asText(),
                        answer.path("text").asText());
                reply = new Message(
                        replyId,
                        conversationId,
                        Author.AGENT,
                        String.valueOf(outcome.reply()),
                        List.of(citation),
                        run.id().value(),
                        clock.instant());
            }
        }
        JsonNode verified = run.succeeded() ? run.state().at("answer.output.verified") : null;
        SupportAnalytics.Outcome outcome = new SupportAnalytics.Outcome(
                customerMessage.id(),
                conversationId,
                store.conversation(workspace, conversationId)
                        .map(Conversation::channel)
                        .orElse(Channel.API),
                intent,
                !run.succeeded() ? "failed" : reply.author() == Author.AGENT ? "replied" : "escalated",
                run.succeeded() ? DeskOutcome.of(run).lane() : null,
                verified == null || !verified.isBoolean() ? null : verified.asBoolean(),
                customerMessage.createdAt(),
                reply.createdAt());
        store.setStatus(workspace, conversationId, status, intent, clock.instant());
        store.recordOutcome(workspace, outcome);
        store.addMessage(workspace, reply);
        listener.accept(outcome);
    }
}
