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
        assertThat(s.conversations(B, null, 10)).isEmpty();
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
        assertThat(s.conversations(A, Status.ESCALATED, 10))
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
