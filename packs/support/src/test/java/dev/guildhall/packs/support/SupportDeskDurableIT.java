package dev.guildhall.packs.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guildhall.core.jobs.WorkerOptions;
import dev.guildhall.core.json.Json;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.workflow.RunHandle;
import dev.guildhall.core.workflow.RunResult;
import dev.guildhall.core.workflow.RunStatus;
import dev.guildhall.core.workflow.StartRequest;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.WorkflowRegistry;
import dev.guildhall.store.jdbc.DurableRuntime;
import dev.guildhall.store.jdbc.JdbcDatabase;
import dev.guildhall.store.jdbc.JdbcSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desk as durable runs on the embedded H2 database: checkpointed, read back from the store. */
class SupportDeskDurableIT {
    @TempDir
    Path dir;

    @Test
    void a_message_runs_durably_and_its_outcome_is_read_back_from_the_store() {
        try (DeskFixture fixture = new DeskFixture(dir.resolve("desk"))) {
            AgentRegistry agents = fixture.desk.registry(List.of());
            Workflow workflow = SupportDesk.workflow(agents);
            try (JdbcDatabase db = JdbcDatabase.open(JdbcSettings.embedded(dir.resolve("db")));
                    DurableRuntime runtime = DurableRuntime.open(
                                    db,
                                    Clock.systemUTC(),
                                    WorkerOptions.defaults("it").withConcurrency(2),
                                    b -> b.agents(agents)
                                            .workflows(new WorkflowRegistry().register(workflow))
                                            .knowledge(fixture.knowledge::searchFor))
                            .start()) {
                RunHandle handle = runtime.engine()
                        .start(
                                workflow,
                                StartRequest.of(
                                        DeskFixture.BANK,
                                        Json.object()
                                                .put("message", "How long does a transfer to another bank take?")
                                                .put("customerId", "c-1")));
                RunResult result = handle.awaitSettled(Duration.ofSeconds(60));

                assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
                DeskOutcome stored =
                        DeskOutcome.of(runtime.store().get(handle.id()).state());
                assertThat(stored.status()).isEqualTo(DeskOutcome.Status.REPLIED);
                assertThat(stored.intent()).isEqualTo("transfer_timing");
                assertThat(stored.reply()).contains("arrive within two hours");
            }
        }
    }
}
