package dev.flowline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the main classes (never the test tree) against the architecture of DESIGN.md; see {@link ArchitectureRules}
 * for the rules and why, and {@link ArchitectureRulesTest} for the proof that each rule can fail.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.flowline";

    private static JavaClasses product;

    @BeforeAll
    static void importMainClasses() {
        product = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages(ROOT);
    }

    @Test
    void areasDependDownwardInOneOrder() {
        ArchitectureRules.areasAreLayered(ROOT).check(product);
    }

    @Test
    void areasAreFreeOfCycles() {
        ArchitectureRules.areasAreFreeOfCycles(ROOT).check(product);
    }

    @Test
    void noAreaUsesAnotherAreasApiOrJpaPackage() {
        ArchitectureRules.areasKeepApiAndJpaToThemselves(ROOT).check(product);
    }

    @Test
    void entityManagerOnlyInJpaPackagesAndPlatformPersistence() {
        ArchitectureRules.entityManagerStaysInPersistence(ROOT).check(product);
    }

    @Test
    void resourcesNeverTouchRepositories() {
        ArchitectureRules.resourcesDoNotTouchRepositories(ROOT).check(product);
    }

    @Test
    void onlyJpaPackagesDependOnJpaClasses() {
        ArchitectureRules.onlyJpaPackagesUseJpaClasses(ROOT).check(product);
    }

    @Test
    void noImplManagerUtilOrHelperClasses() {
        ArchitectureRules.noMeaninglessClassNames(ROOT).check(product);
    }

    @Test
    void jsonThroughCachedProvider() {
        ArchitectureRules.jsonThroughCachedProvider(ROOT).check(product);
    }
}
