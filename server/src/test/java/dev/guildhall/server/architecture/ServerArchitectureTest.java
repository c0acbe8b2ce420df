package dev.guildhall.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.guildhall.core.RunId;
import dev.guildhall.core.workflow.RunStore;
import dev.guildhall.core.workflow.WorkflowEngine;
import dev.guildhall.store.jdbc.JdbcRunStore;
import org.junit.jupiter.api.Test;

/**
 * The server reaches runs only through the workspace-scoped reads ({@code JdbcWorkspaceRuns}), so
 * no controller can forget the workspace; and it uses the other modules through their public
 * classes, never their {@code internal} packages.
 */
class ServerArchitectureTest {
    static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guildhall.server");

    @Test
    void the_server_never_reads_a_run_by_id_without_its_workspace() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.server..")
                .should()
                .callMethod(JdbcRunStore.class, "find", RunId.class)
                .orShould()
                .callMethod(JdbcRunStore.class, "get", RunId.class)
                .orShould()
                .callMethod(JdbcRunStore.class, "history", RunId.class)
                .orShould()
                .callMethod(RunStore.class, "find", RunId.class)
                .orShould()
                .callMethod(RunStore.class, "get", RunId.class)
                .orShould()
                .callMethod(RunStore.class, "history", RunId.class)
                .orShould()
                .callMethod(WorkflowEngine.class, "find", RunId.class)
                .because("a run is looked up with its workspace (JdbcWorkspaceRuns), so another workspace's run is 404")
                .check(SERVER);
    }

    @Test
    void the_server_uses_no_internal_package_of_another_module() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.guildhall..internal..", "dev.guildhall.cli..")
                .check(SERVER);
    }
}
