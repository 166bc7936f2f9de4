package io.switchboard.cli.layout;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;

import io.switchboard.core.layoutfixture.CoreReachingIntoTheGateway;

/**
 * The module layout, checked on the compiled production classes of every module (this module
 * sees them all): dependencies point downward only, and nothing in production depends on the
 * simulator. A forbidden import fails the build here.
 */
class LayoutTest {

    /** Production classes only: no test classes, no test jars. */
    private static final ImportOption PRODUCTION = (Location location) ->
            !location.contains("/test-classes/") && !location.contains("-tests.jar");

    private static final String CORE = "io.switchboard.core..";
    private static final String PLATFORMS = "io.switchboard.platforms..";
    private static final String COMPLIANCE = "io.switchboard.compliance..";
    private static final String IVR = "io.switchboard.ivr..";
    private static final String GATEWAY = "io.switchboard.gateway..";
    private static final String CLI = "io.switchboard.cli..";
    private static final String SANDBOX = "io.switchboard.sandbox..";
    private static final String BENCH = "io.switchboard.bench..";

    /** The rules, each with why. */
    static final List<ArchRule> RULES = List.of(
            noClasses().that().resideInAPackage(CORE)
                       .should().dependOnClassesThat().resideInAnyPackage(PLATFORMS, COMPLIANCE, IVR, GATEWAY, CLI,
                                                                          SANDBOX, BENCH)
                       .because("core is the shared kernel: it knows no platform, feature or server"),
            noClasses().that().resideInAnyPackage(COMPLIANCE, IVR)
                       .should().dependOnClassesThat().resideInAnyPackage(GATEWAY, CLI, SANDBOX, BENCH)
                       .because("features are served by the gateway, never the other way round"),
            noClasses().that().resideInAPackage(PLATFORMS)
                       .should().dependOnClassesThat().resideInAnyPackage(COMPLIANCE, IVR, GATEWAY, CLI, SANDBOX,
                                                                          BENCH)
                       .because("platform adapters implement the ports of core and nothing else"),
            noClasses().that().resideInAnyPackage(CORE, PLATFORMS, COMPLIANCE, IVR, GATEWAY)
                       .should().dependOnClassesThat().resideInAPackage(SANDBOX)
                       .because("production wiring never depends on the simulator: the CLI mounts it"),
            noClasses().that().resideInAPackage(SANDBOX)
                       .should().dependOnClassesThat().resideInAnyPackage(PLATFORMS, COMPLIANCE, IVR, GATEWAY, CLI,
                                                                          BENCH)
                       .because("the simulator speaks the platforms' wire contracts, not our adapters"));

    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter().withImportOption(PRODUCTION).importPackages("io.switchboard");
    }

    @Test
    void dependenciesPointDownwardOnly() {
        RULES.forEach(rule -> rule.check(production));
    }

    @Test
    void aForbiddenImportFailsTheCheck() {
        final JavaClasses violating = new ClassFileImporter().importClasses(CoreReachingIntoTheGateway.class);
        assertThatThrownBy(() -> RULES.get(0).check(violating))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CoreReachingIntoTheGateway")
                .hasMessageContaining("io.switchboard.gateway");
    }
}
