package dev.guildhall.packs.support.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.packs.support.customer.CustomerId;
import dev.guildhall.packs.support.customer.CustomerProfile;
import dev.guildhall.packs.support.desk.SupportRecords.Author;
import dev.guildhall.packs.support.desk.SupportRecords.Channel;
import dev.guildhall.packs.support.desk.SupportRecords.Citation;
import dev.guildhall.packs.support.desk.SupportRecords.Conversation;
import dev.guildhall.packs.support.desk.SupportRecords.Customer;
import dev.guildhall.packs.support.desk.SupportRecords.Message;
import dev.guildhall.packs.support.desk.SupportRecords.Status;
import dev.guildhall.store.jdbc.JdbcDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The support pack's tables on one database, beside the store's own (same schema, own history). */
abstract class SupportStoreContract {
    static final WorkspaceId A = WorkspaceId.of("ws-a");
    static final WorkspaceId B = WorkspaceId.of("ws-b");
    static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");

    /** A database already migrated by the store, as the server's is. */
    abstract JdbcDatabase database();

    SupportStore store() {
        return SupportStore.open(database().dataSource());
    }

    @Test
    void migrates_beside_the_store_with_its_own_history_table_and_again_is_a_no_op() throws SQLException {
        store();
        store();
        try (Connection c = database().dataSource().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM support_schema_history WHERE success = TRUE")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void every_row_stays_in_its_workspace() {
        SupportStore s = store();
        s.createCustomer(A, customer("c1", "healthy"));
        s.createConversation(A, conversation("k1", "c1"));
        s.addMessage(A, new Message("m1", "k1", Author.CUSTOMER, "I lost my card", List.of(), null, T0));

        assertThat(s.customer(B, "c1")).isEmpty();
        assertThat(s.customers(B, 10)).isEmpty();
        assertThat(s.conversation(B, "k1")).isEmpty();
        assertThat(s.conversations(B, SupportStore.ConversationFilter.ALL, 10)).isEmpty();
        assertThat(s.messages(B, "k1")).isEmpty();
        assertThat(s.setStatus(B, "k1", Status.RESOLVED, null, T0)).isFalse();
        assertThat(s.setCsat(B, "k1", 1, T0)).isFalse();
        assertThat(s.conversation(A, "k1").orElseThrow().status()).isEqualTo(Status.OPEN);

        // The same ids are free in another workspace.
        s.createCustomer(B, customer("c1", "churning"));
        assertThat(s.customer(A, "c1").orElseThrow().health()).isEqualTo("healthy");
        assertThat(s.customer(B, "c1").orElseThrow().health()).isEqualTo("churning");
    }

    @Test
    void messages_keep_their_citations_and_an_id_is_written_once() {
        SupportStore s = store();
        s.createCustomer(A, customer("c2", "healthy"));
        s.createConversation(A, conversation("k2", "c2"));
        Citation cite = new Citation("faq/lost_or_stolen_card.md", "A lost or stolen card", "freeze it in the app");
        Message reply = new Message("m2-desk", "k2", Author.AGENT, "Freeze it", List.of(cite), "run-1", T0);

        Message asked = new Message("m2", "k2", Author.CUSTOMER, "I lost my card", List.of(), "run-1", T0);
        s.addMessage(A, asked);
        assertThat(s.awaitingOutcome(100)).contains(java.util.Map.entry(A, asked));
        assertThat(s.addMessage(A, reply)).isTrue();
        assertThat(s.awaitingOutcome(100)).doesNotContain(java.util.Map.entry(A, asked));
        assertThat(s.addMessage(A, reply)).isFalse();
        assertThat(s.messages(A, "k2")).containsExactly(asked, reply);
        assertThatThrownBy(() -> s.createCustomer(A, customer("c2", "healthy")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void analytics_count_what_the_desk_settled_in_the_window_and_only_in_its_workspace() {
        SupportStore s = store();
        WorkspaceId ws = WorkspaceId.of(
                "ws-analytics-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        s.createCustomer(ws, customer("c9", "healthy"));
        s.createConversation(ws, conversation("k9", "c9"));
        s.createConversation(
                ws, new Conversation("k10", "c9", Channel.EMAIL, Status.OPEN, null, List.of(), null, null, T0, T0));
        // Replied in 2 s and verified; escalated in 8 s after a failed verification; replied in 4 s;
        // and one outside the window. A second record of a message changes nothing.
        s.recordOutcome(ws, outcome("m1", "k9", Channel.API, "card_arrival", "replied", true, 0, 2));
        s.recordOutcome(ws, outcome("m1", "k9", Channel.API, "card_arrival", "escalated", false, 0, 9));
        s.recordOutcome(ws, outcome("m2", "k9", Channel.API, "card_arrival", "escalated", false, 10, 18));
        s.recordOutcome(ws, outcome("m3", "k10", Channel.EMAIL, "exchange_rate", "replied", true, 20, 24));
        s.recordOutcome(ws, outcome("m4", "k10", Channel.EMAIL, null, "escalated", null, 7200, 7201));
        s.setStatus(ws, "k10", Status.RESOLVED, null, T0.plusSeconds(60));
        s.setCsat(ws, "k10", 5, T0.plusSeconds(61));

        SupportAnalytics a = s.analytics(ws, T0, T0.plusSeconds(3600));

        assertThat(a.messages()).isEqualTo(3);
        assertThat(a.byIntent())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("card_arrival", 2L, "exchange_rate", 1L));
        assertThat(a.byChannel()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("api", 2L, "email", 1L));
        assertThat(a.autoResolutionRate()).isEqualTo(2.0 / 3);
        assertThat(a.escalationRate()).isEqualTo(1.0 / 3);
        assertThat(a.verificationPassRate()).isEqualTo(2.0 / 3);
        assertThat(a.firstResponseP50Millis()).isEqualTo(4_000L);
        assertThat(a.firstResponseP90Millis()).isEqualTo(8_000L);
        assertThat(a.resolved()).isEqualTo(1);
        assertThat(a.resolutionP50Millis()).isEqualTo(61_000L);
        assertThat(a.csatAverage()).isEqualTo(5.0);
        assertThat(a.csatResponses()).isEqualTo(1);
        assertThat(s.analytics(B, T0, T0.plusSeconds(3600)).messages()).isZero();
        assertThat(s.analytics(ws, T0.plusSeconds(7200), T0.plusSeconds(7300)).byIntent())
                .containsOnlyKeys("none-of-these");
    }

    @Test
    void conversations_are_assigned_tagged_and_filtered_by_status_assignee_tag_and_channel() {
        SupportStore s = store();
        WorkspaceId ws = WorkspaceId.of(
                "ws-filter-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        s.createCustomer(ws, customer("c1", "healthy"));
        s.createConversation(ws, conversation("f1", "c1")); // email, tags vip + cards
        s.createConversation(
                ws, new Conversation("f2", "c1", Channel.API, Status.OPEN, null, List.of("cards"), null, null, T0, T0));
        assertThat(s.setAssignee(ws, "f1", "ana@bank.test", T0.plusSeconds(1))).isTrue();
        assertThat(s.setTags(ws, "f2", List.of("vip-ish", "billing"), T0.plusSeconds(2)))
                .isTrue();
        assertThat(s.setAssignee(B, "f1", "mallory", T0)).isFalse();

        assertThat(ids(s, ws, new SupportStore.ConversationFilter(null, "ana@bank.test", null, null)))
                .containsExactly("f1");
        assertThat(ids(s, ws, new SupportStore.ConversationFilter(null, null, "vip", null)))
                .containsExactly("f1"); // a whole tag, not "vip-ish"
        assertThat(ids(s, ws, new SupportStore.ConversationFilter(null, null, "billing", Channel.API)))
                .containsExactly("f2");
        assertThat(ids(s, ws, new SupportStore.ConversationFilter(Status.OPEN, null, null, Channel.EMAIL)))
                .containsExactly("f1");
        assertThat(ids(s, ws, new SupportStore.ConversationFilter(null, null, "%", null)))
                .isEmpty();
        assertThat(s.setAssignee(ws, "f1", null, T0.plusSeconds(3))).isTrue();
        assertThat(s.conversation(ws, "f1").orElseThrow().assignee()).isNull();
        assertThat(s.conversation(ws, "f2").orElseThrow().tags()).containsExactly("vip-ish", "billing");
    }

    private static List<String> ids(SupportStore s, WorkspaceId ws, SupportStore.ConversationFilter filter) {
        return s.conversations(ws, filter, 10).stream().map(Conversation::id).toList();
    }

    private static SupportAnalytics.Outcome outcome(
            String message,
            String conversation,
            Channel channel,
            String intent,
            String outcome,
            Boolean verified,
            int receivedSecond,
            int answeredSecond) {
        return new SupportAnalytics.Outcome(
                message,
                conversation,
                channel,
                intent,
                outcome,
                "answer",
                verified,
                T0.plusSeconds(receivedSecond),
                T0.plusSeconds(answeredSecond));
    }

    @Test
    void status_intent_and_csat_update_and_the_profile_counts_open_conversations() {
        SupportStore s = store();
        s.createCustomer(A, customer("c3", "at-risk"));
        s.createConversation(A, conversation("k3", "c3"));
        s.createConversation(A, conversation("k4", "c3"));
        s.setStatus(A, "k3", Status.ESCALATED, "card_arrival", T0.plusSeconds(5));
        s.setStatus(A, "k4", Status.RESOLVED, null, T0.plusSeconds(1));
        s.setCsat(A, "k4", 4, T0.plusSeconds(2));

        Conversation k3 = s.conversation(A, "k3").orElseThrow();
        assertThat(k3.intent()).isEqualTo("card_arrival");
        assertThat(s.conversation(A, "k4").orElseThrow().csat()).isEqualTo(4);
        assertThat(s.conversations(A, SupportStore.ConversationFilter.status(Status.ESCALATED), 10))
                .extracting(Conversation::id)
                .containsExactly("k3");

        CustomerProfile profile = s.find(A, CustomerId.of("c3")).orElseThrow();
        assertThat(profile.openIssues()).isEqualTo(1);
        assertThat(profile.recentConversations()).first().isEqualTo("escalated: card_arrival");
        assertThat(profile.health()).isEqualTo("at-risk");
        assertThat(s.find(B, CustomerId.of("c3"))).isEmpty();
    }

    static Customer customer(String id, String health) {
        return new Customer(id, "Ada", "ada@example.com", "premium", new BigDecimal("1200.50"), health, T0);
    }

    static Conversation conversation(String id, String customer) {
        return new Conversation(
                id, customer, Channel.EMAIL, Status.OPEN, null, List.of("vip", "cards"), null, null, T0, T0);
    }
}
