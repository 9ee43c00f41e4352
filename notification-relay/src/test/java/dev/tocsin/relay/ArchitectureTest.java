package dev.tocsin.relay;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The relay's package structure, as rules that fail the build when a change goes against it:
 * <pre>
 *   consume  ──▶ escalation, inbox                          a stream event plans or cancels an alert's steps
 *   dispatch ──▶ escalation, inbox, dedup, records,          a due step: who, on which channel, exactly once
 *                followup, telegram, fcm, send
 *   inbox ──▶ escalation        followup (who was pushed, for the follow-up)        telegram, fcm ──▶ send
 *   any of them ──▶ redis (key names) ──▶ config;  metrics;  config          and these three use no feature
 * </pre>
 * The two entry points meet only through the schedule in Redis, and nothing depends on them. Main classes only.
 */
class ArchitectureTest {

    private static final String CONSUME = "dev.tocsin.relay.consume..";
    private static final String DISPATCH = "dev.tocsin.relay.dispatch..";
    private static final String TELEGRAM = "dev.tocsin.relay.telegram..";
    private static final String FCM = "dev.tocsin.relay.fcm..";
    private static final String[] ENTRY_POINTS = relay("consume", "dispatch");
    private static final String[] DELIVERY_STATE = relay("escalation", "inbox", "dedup", "records", "followup");
    private static final String[] TRANSPORTS = relay("send", "telegram", "fcm");
    private static final String[] FOUNDATIONS = relay("config", "metrics", "redis");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.tocsin.relay");
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.tocsin.relay.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void nothingDependsOnTheEntryPointsAndTheyDoNotDependOnEachOther() {
        CompositeArchRule.of(noClasses().that().resideOutsideOfPackage(CONSUME)
                        .should().dependOnClassesThat().resideInAPackage(CONSUME)
                        .because("the stream consumer is an entry point: it hands work on through the schedule"))
                .and(noClasses().that().resideOutsideOfPackage(DISPATCH)
                        .should().dependOnClassesThat().resideInAPackage(DISPATCH)
                        .because("the step runner is an entry point: it takes its work from the schedule"))
                .check(classes);
    }

    @Test
    void deliveryStateNeverReachesATransport() {
        noClasses().that().resideInAnyPackage(DELIVERY_STATE)
                .should().dependOnClassesThat().resideInAnyPackage(TRANSPORTS)
                .because("planning and recording deliveries must not send anything; dispatch does")
                .check(classes);
    }

    @Test
    void transportsKnowNothingOfWhatToSendWhenOrToWhom() {
        noClasses().that().resideInAnyPackage(TRANSPORTS)
                .should().dependOnClassesThat().resideInAnyPackage(concat(ENTRY_POINTS, DELIVERY_STATE, relay("redis")))
                .because("a transport sends one message and reports the outcome; deciding is dispatch's job")
                .check(classes);
    }

    @Test
    void telegramAndFcmAreIndependentChannels() {
        CompositeArchRule.of(noClasses().that().resideInAPackage(TELEGRAM)
                        .should().dependOnClassesThat().resideInAPackage(FCM))
                .and(noClasses().that().resideInAPackage(FCM)
                        .should().dependOnClassesThat().resideInAPackage(TELEGRAM))
                .check(classes);
    }

    @Test
    void foundationsDependOnNoFeature() {
        noClasses().that().resideInAnyPackage(FOUNDATIONS)
                .should().dependOnClassesThat().resideInAnyPackage(concat(ENTRY_POINTS, DELIVERY_STATE, TRANSPORTS))
                .because("configuration, metrics and key names are used by every feature and know none")
                .check(classes);
    }

    private static String[] relay(String... packages) {
        return Arrays.stream(packages).map(p -> "dev.tocsin.relay." + p + "..").toArray(String[]::new);
    }

    private static String[] concat(String[]... groups) {
        return Arrays.stream(groups).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
