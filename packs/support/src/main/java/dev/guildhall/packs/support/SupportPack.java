package dev.guildhall.packs.support;

import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.pack.GuildhallPack;
import dev.guildhall.core.pack.PackContext;
import dev.guildhall.core.pack.PackId;
import dev.guildhall.core.tool.ToolRegistry;
import dev.guildhall.knowledge.embed.EmbeddingService;
import dev.guildhall.knowledge.embed.InProcessEmbeddingService;
import dev.guildhall.packs.support.customer.CustomerContext;
import dev.guildhall.packs.support.customer.CustomerDirectory;
import dev.guildhall.packs.support.customer.InMemoryCustomerDirectory;
import dev.guildhall.packs.support.desk.SupportStore;
import dev.guildhall.packs.support.routing.WorkspaceRouters;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The support pack as a {@link GuildhallPack}, found by {@link java.util.ServiceLoader}. {@link
 * #start} builds the {@link SupportDesk} from the host's context: routers are kept under {@code
 * {dataDir}/support/routers}, the embedding service and customer directory are the host's when it
 * publishes them ({@link EmbeddingService}, {@link CustomerDirectory}) and otherwise the bundled
 * model and an empty in-memory directory. With a {@link DataSource}, the pack migrates its own
 * tables ({@link SupportStore}) and they are the customer directory. Without {@code start} (a bare {@code PackLoader.load}),
 * the desk has no routers on disk, and every message escalates until a router is trained.
 */
public final class SupportPack implements GuildhallPack {
    public static final PackId ID = PackId.of("support");

    private volatile @Nullable SupportDesk desk;
    private volatile @Nullable SupportStore store;

    public SupportPack() {}

    @Override
    public PackId id() {
        return ID;
    }

    @Override
    public void start(PackContext context) {
        // The bundled model loads in about a second, so only when a router is first trained or read.
        Supplier<EmbeddingService> embeddings = context.find(EmbeddingService.class)
                .<Supplier<EmbeddingService>>map(service -> () -> service)
                .orElseGet(() -> memoized(InProcessEmbeddingService::bgeSmallEnV15Quantized));
        // With the host's database, the pack keeps customers and conversations in its own tables and
        // the desk's context enrichment reads them.
        store = context.find(DataSource.class).map(SupportStore::open).orElse(null);
        CustomerDirectory directory = context.find(CustomerDirectory.class)
                .or(() -> Optional.ofNullable(store))
                .orElseGet(InMemoryCustomerDirectory::new);
        desk = new SupportDesk(
                new WorkspaceRouters(context.dataDir().resolve("support").resolve("routers"), embeddings),
                new CustomerContext(directory, context.clock()));
    }

    /** The pack's tables, when the host published a {@link DataSource} to {@link #start}. */
    public Optional<SupportStore> store() {
        return Optional.ofNullable(store);
    }

    /** The desk this pack serves; built by {@link #start}, or in memory on first use without it. */
    public SupportDesk desk() {
        SupportDesk d = desk;
        if (d == null) {
            synchronized (this) {
                if (desk == null) {
                    desk = new SupportDesk(
                            new WorkspaceRouters(null, memoized(InProcessEmbeddingService::bgeSmallEnV15Quantized)),
                            new CustomerContext(new InMemoryCustomerDirectory(), Clock.systemUTC()));
                }
                d = desk;
            }
        }
        return d;
    }

    private static <T> Supplier<T> memoized(Supplier<T> make) {
        return new Supplier<>() {
            private @Nullable T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    @Override
    public List<String> definitionResources() {
        return SupportDesk.DEFINITION_RESOURCES;
    }

    @Override
    public List<String> workflowResources() {
        return List.of(SupportDesk.WORKFLOW_RESOURCE);
    }

    @Override
    public List<Agent> agents(ToolRegistry tools) {
        return desk().codeAgents();
    }
}
