package dev.guildhall.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering rules of STYLE.md section 1, checked on every build rather than kept as prose. */
class CoreArchitectureTest {
    static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guildhall.core");

    @Test
    void core_stays_plain_java_without_spring_jdbc_http_redis_or_model_clients() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework..",
                        "java.sql..",
                        "javax.sql..",
                        "java.net.http..",
                        "okhttp3..",
                        "redis..",
                        "io.lettuce..",
                        "dev.langchain4j..",
                        "jakarta.servlet..")
                .because("core is the plain-Java heart every adapter and pack builds on")
                .check(CORE);
    }

    @Test
    void core_does_not_depend_on_adapters_server_cli_or_packs() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.guildhall.store..",
                        "dev.guildhall.bus..",
                        "dev.guildhall.knowledge..",
                        "dev.guildhall.server..",
                        "dev.guildhall.cli..",
                        "dev.guildhall.packs..",
                        "dev.guildhall.providers..")
                .check(CORE);
    }

    @Test
    void core_reads_time_from_an_injected_clock() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.core..")
                .should()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .because("tests move a MutableClock instead of waiting for real time")
                .check(CORE);
    }

    @Test
    void engine_internals_are_used_only_by_the_engine() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.guildhall.core.workflow..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.guildhall.core.workflow.internal..")
                .check(CORE);
    }

    @Test
    void core_logs_instead_of_printing() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.core..")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .because("a library writes through SLF4J; only the CLI owns the terminal")
                .check(CORE);
    }
}
