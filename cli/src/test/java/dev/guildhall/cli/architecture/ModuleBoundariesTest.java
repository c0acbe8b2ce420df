package dev.guildhall.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Boundaries between modules, checked from the CLI, which sees every module on its class path. */
class ModuleBoundariesTest {
    static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guildhall");

    @Test
    void no_module_reaches_into_another_modules_internal_packages() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.guildhall.core..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.guildhall.core..internal..")
                .because("anything under internal may change without notice")
                .check(ALL);
    }

    @Test
    void only_the_providers_and_knowledge_modules_talk_to_langchain4j() {
        // The knowledge module codes against LangChain4j's EmbeddingModel (in-process ONNX models).
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.guildhall.providers..", "dev.guildhall.knowledge..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.langchain4j..")
                .check(ALL);
    }
}
