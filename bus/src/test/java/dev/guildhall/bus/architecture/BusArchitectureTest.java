package dev.guildhall.bus.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The bus is an adapter of core's port: it knows core and Redis, and no other adapter. */
class BusArchitectureTest {
    static final JavaClasses BUS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guildhall.bus");

    @Test
    void bus_depends_on_core_only_among_guildhall_modules() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.bus..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.guildhall.store..",
                        "dev.guildhall.knowledge..",
                        "dev.guildhall.server..",
                        "dev.guildhall.cli..",
                        "dev.guildhall.packs..",
                        "dev.guildhall.providers..",
                        "org.springframework..")
                .check(BUS);
    }

    @Test
    void bus_reads_time_from_an_injected_clock() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.bus..")
                .should()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .accessField(System.class, "out")
                .check(BUS);
    }
}
