package dev.guildhall.packs.support.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The pack depends on core and the adapters' public API only (docs/ARCHITECTURE.md). */
class PackBoundariesTest {
    static final JavaClasses PACK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.guildhall.packs.support");

    @Test
    void never_depends_on_the_server_the_cli_or_another_pack() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.guildhall.server..", "dev.guildhall.cli..")
                .check(PACK);
        noClasses()
                .should()
                .dependOnClassesThat(resideInAPackage("dev.guildhall.packs..")
                        .and(resideOutsideOfPackage("dev.guildhall.packs.support..")))
                .check(PACK);
    }

    @Test
    void the_platform_never_depends_on_the_pack() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.guildhall.packs..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.guildhall.core", "dev.guildhall.knowledge", "dev.guildhall.store"));
    }

    @Test
    void never_reaches_into_internal_packages() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.guildhall..internal..")
                .check(PACK);
    }
}
