package dev.guildhall.knowledge.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering inside the knowledge module and towards its neighbours. */
class KnowledgeArchitectureTest {
    static final JavaClasses KNOWLEDGE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guildhall.knowledge");

    @Test
    void ingestion_knows_nothing_of_collections_or_lucene() {
        noClasses()
                .that()
                .resideInAPackage("dev.guildhall.knowledge.ingest..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.guildhall.knowledge.collection..", "org.apache.lucene..", "dev.langchain4j..")
                .because("parsing and chunking are reusable without an index or a model")
                .check(KNOWLEDGE);
    }

    @Test
    void collections_and_ingestion_depend_on_core_only_among_guildhall_modules() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.guildhall.knowledge.collection..", "dev.guildhall.knowledge.ingest..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.guildhall.providers..",
                        "dev.guildhall.store..",
                        "dev.guildhall.cli..",
                        "dev.guildhall.core..internal..")
                .check(KNOWLEDGE);
    }
}
