package dev.tocsin.ingest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure of alert-ingest as designed, checked on its main classes. Package by feature ({@code alert},
 * {@code user}, {@code delivery}, {@code presence}, {@code leader}, and the two loops {@code changestream} and
 * {@code command} on top of them), then by role; within a feature the dependencies run rest → service →
 * repository. {@code common}, {@code config} and {@code metrics} are the ground every feature stands on.
 */
class ArchitectureTest {

    private static final String INGEST = "dev.tocsin.ingest";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(INGEST);

    @Test
    void noCycleBetweenFeatures() {
        slices().matching(INGEST + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** Every package is a slice of its own here: {@code alert.rest} and {@code alert.service} as much as {@code config}. */
    @Test
    void noCycleBetweenPackages() {
        slices().matching(INGEST + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void servicesDoNotKnowTheRestLayer() {
        noClasses().that().resideInAPackage("..service..")
                .should().dependOnClassesThat().resideInAPackage("..rest..")
                .because("a service takes records of its own; the REST layer turns requests into them")
                .check(MAIN);
    }

    @Test
    void repositoriesKnowNeitherServicesNorTheRestLayer() {
        noClasses().that().resideInAPackage("..repository..")
                .should().dependOnClassesThat().resideInAnyPackage("..service..", "..rest..")
                .check(MAIN);
    }

    @Test
    void commonDependsOnNothingElseOfTheService() {
        dependsOnNothingElseOfTheService("common").check(MAIN);
    }

    @Test
    void configAndMetricsDependOnNothingElseOfTheService() {
        dependsOnNothingElseOfTheService("config").check(MAIN);
        dependsOnNothingElseOfTheService("metrics").check(MAIN);
    }

    @Test
    void nothingDependsOnTheLoops() {
        nothingElseDependsOn("changestream").check(MAIN);
        nothingElseDependsOn("command").check(MAIN);
    }

    @Test
    void contactChannelsDoNotDependOnAlerts() {
        noClasses().that().resideInAPackage(INGEST + ".user..")
                .should().dependOnClassesThat().resideInAPackage(INGEST + ".alert..")
                .check(MAIN);
    }

    private static ArchRule dependsOnNothingElseOfTheService(String feature) {
        String own = INGEST + "." + feature + "..";
        return noClasses().that().resideInAPackage(own)
                .should().dependOnClassesThat(resideInAPackage(INGEST + "..").and(not(resideInAPackage(own))));
    }

    private static ArchRule nothingElseDependsOn(String feature) {
        String own = INGEST + "." + feature + "..";
        return noClasses().that().resideOutsideOfPackage(own)
                .should().dependOnClassesThat().resideInAPackage(own);
    }
}
