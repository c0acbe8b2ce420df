package dev.guildhall.packs.support;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.knowledge.collection.Embedder;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import dev.guildhall.knowledge.router.IntentRouter;
import dev.guildhall.packs.support.customer.CustomerContext;
import dev.guildhall.packs.support.customer.CustomerId;
import dev.guildhall.packs.support.customer.CustomerProfile;
import dev.guildhall.packs.support.customer.InMemoryCustomerDirectory;
import dev.guildhall.packs.support.faq.BankingFaq;
import dev.guildhall.packs.support.routing.WorkspaceRouters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One desk shared by a test class: the pack's help centre indexed in workspace {@code bank} and
 * its router trained on the pack's own examples (a few seconds; done once).
 */
final class DeskFixture implements AutoCloseable {
    static final WorkspaceId BANK = WorkspaceId.of("bank");
    static final CustomerId VIP = CustomerId.of("vip-1");
    static final CustomerId REGULAR = CustomerId.of("c-1");

    final KnowledgeBase knowledge;
    final WorkspaceRouters routers;
    final InMemoryCustomerDirectory customers = new InMemoryCustomerDirectory();
    final SupportDesk desk;
    final IntentRouter router;

    DeskFixture(Path dir) {
        knowledge = new KnowledgeBase(dir, Embedder.bgeSmallEnV15Quantized());
        BankingFaq.install(knowledge, BANK);
        InProcessEmbeddingService embeddings = InProcessEmbeddingService.bgeSmallEnV15Quantized();
        routers = new WorkspaceRouters(dir.resolve("routers"), () -> embeddings);
        router = routers.train(BANK, BankingFaq.examples());
        customers.put(
                BANK,
                new CustomerProfile(
                        VIP, "Ada Lovelace", "metal", 48_000, "healthy", List.of("2026-11-02: card upgrade"), 1));
        customers.put(BANK, new CustomerProfile(REGULAR, "Bob", "basic", 120, "healthy", List.of(), 0));
        desk = new SupportDesk(routers, new CustomerContext(customers, Clock.systemUTC()));
    }

    @Override
    public void close() {
        knowledge.close();
    }
}
