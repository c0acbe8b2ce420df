package dev.guildhall.packs.support.web;

import dev.guildhall.core.WorkspaceId;
import dev.guildhall.core.cost.CostLedger;
import dev.guildhall.core.pack.LoadedPacks;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.knowledge.collection.KnowledgeBase;
import dev.guildhall.packs.support.SupportDesk;
import dev.guildhall.packs.support.SupportPack;
import dev.guildhall.packs.support.desk.SupportConversations;
import dev.guildhall.packs.support.desk.SupportStore;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcDatabase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Serves the support desk's REST API in a Spring Boot host that loaded the pack (a {@link
 * LoadedPacks} bean holding the {@link SupportPack}) and runs durably ({@link DurableRuntime},
 * {@link JdbcDatabase}). Listed in {@code META-INF/spring/...AutoConfiguration.imports}, so the
 * host only puts the pack on its class path; the pack sees the host through these public types and
 * core's {@link dev.guildhall.core.workspace.WorkspaceCaller}, never the host's internals.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBean({LoadedPacks.class, DurableRuntime.class, JdbcDatabase.class})
public class SupportAutoConfiguration {

    @Bean
    SupportConversations supportConversations(
            LoadedPacks packs,
            DurableRuntime runtime,
            JdbcDatabase database,
            ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        SupportPack pack = supportPack(packs);
        // The host normally publishes its DataSource to the pack at start; otherwise migrate here.
        SupportStore store = pack.store().orElseGet(() -> SupportStore.open(database.dataSource()));
        Workflow desk = packs.workflows().stream()
                .filter(w -> w.id().equals(SupportDesk.WORKFLOW_ID))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("the loaded packs have no " + SupportDesk.WORKFLOW_ID + " workflow"));
        return new SupportConversations(
                store,
                runtime.engine(),
                desk,
                runtime.worker()::nudge,
                runtime.engine().clock(),
                meters.getIfAvailable() == null ? outcome -> {} : new SupportMetrics(meters.getObject()));
    }

    /**
     * The demo workspace becomes a working desk at start-up ({@code guildhall.support.demo.seed},
     * default true): help centre and router, trained in the background on {@code
     * guildhall.support.demo.training-data} or Banking77's training split beside the project.
     */
    @Bean
    @ConditionalOnBean(KnowledgeBase.class)
    @ConditionalOnProperty(name = "guildhall.support.demo.seed", havingValue = "true", matchIfMissing = true)
    DemoSeeding supportDemoSeeding(LoadedPacks packs, KnowledgeBase knowledge, Environment environment) {
        String workspace = environment.getProperty("guildhall.demo.workspace", "demo");
        String home = environment.getProperty("GUILDHALL_HOME", environment.getProperty("user.dir"));
        return new DemoSeeding(
                WorkspaceId.of(workspace),
                supportPack(packs).desk().routers(),
                knowledge,
                DemoSeeding.trainingData(environment.getProperty("guildhall.support.demo.training-data"), home)
                        .orElse(null));
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> supportDemoSeedingStart(ObjectProvider<DemoSeeding> seeding) {
        return ready -> seeding.ifAvailable(DemoSeeding::start);
    }

    @Bean
    SupportController supportController(
            SupportConversations conversations,
            LoadedPacks packs,
            ObjectProvider<KnowledgeBase> knowledge,
            ObjectProvider<DemoSeeding> seeding,
            ObjectProvider<CostLedger> costs) {
        return new SupportController(
                conversations,
                supportPack(packs).desk(),
                knowledge.getIfAvailable(),
                seeding.getIfAvailable(),
                costs.getIfAvailable());
    }

    private static SupportPack supportPack(LoadedPacks packs) {
        return packs.packs().stream()
                .filter(SupportPack.class::isInstance)
                .map(SupportPack.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the loaded packs do not include the support pack"));
    }
}
