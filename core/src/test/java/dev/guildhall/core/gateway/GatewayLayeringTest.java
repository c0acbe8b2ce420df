package dev.guildhall.core.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The gateway and cost packages stay plain Java: model clients, HTTP, Spring and JDBC live in adapters. */
class GatewayLayeringTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guildhall.core.gateway", "dev.guildhall.core.cost");

    @Test
    void gateway_and_cost_depend_on_no_model_client_http_spring_or_jdbc() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.langchain4j..",
                        "java.net.http..",
                        "com.sun.net.httpserver..",
                        "org.springframework..",
                        "java.sql..",
                        "javax.sql..")
                .check(CORE);
    }

    @Test
    void gateway_and_cost_do_not_reach_into_adapters() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.guildhall.providers..", "dev.guildhall.testkit..")
                .check(CORE);
    }
}
