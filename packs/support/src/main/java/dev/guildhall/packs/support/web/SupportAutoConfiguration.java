package dev.guildhall.packs.support.web;

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
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

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
    SupportConversations supportConversations(LoadedPacks packs, DurableRuntime runtime, JdbcDatabase database) {
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
                runtime.engine().clock());
    }

    @Bean
    SupportController supportController(
            SupportConversations conversations, LoadedPacks packs, ObjectProvider<KnowledgeBase> knowledge) {
        return new SupportController(conversations, supportPack(packs).desk(), knowledge.getIfAvailable());
    }

    private static SupportPack supportPack(LoadedPacks packs) {
        return packs.packs().stream()
                .filter(SupportPack.class::isInstance)
                .map(SupportPack.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the loaded packs do not include the support pack"));
    }
}
