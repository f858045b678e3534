package dev.rowcast.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import jakarta.enterprise.inject.spi.CDI;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package map of docs/architecture.md, enforced: a change that breaks a boundary fails the build. Production
 * classes only; tests may reach across packages to build fixtures.
 */
@AnalyzeClasses(packages = "dev.rowcast", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String IMPL = "dev.rowcast.impl..";

    @ArchTest
    static final ArchRule api_never_exposes_impl = noClasses().that().resideInAPackage("dev.rowcast")
            .should().dependOnClassesThat().resideInAPackage(IMPL)
            .because("the API is what users compile against; impl may change in any release");

    @ArchTest
    static final ArchRule spi_never_exposes_impl = noClasses().that().resideInAPackage("dev.rowcast.spi..")
            .should().dependOnClassesThat().resideInAPackage(IMPL)
            .because("integrators implement the SPI without seeing impl");

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("boot").definedBy("dev.rowcast.impl.boot..")
            .layer("admin").definedBy("dev.rowcast.impl.admin..")
            .layer("metrics").definedBy("dev.rowcast.impl.metrics..")
            .layer("socket").definedBy("dev.rowcast.impl.socket..")
            .layer("security").definedBy("dev.rowcast.impl.security..")
            .layer("talk").definedBy("dev.rowcast.impl.talk..")
            .layer("proposal").definedBy("dev.rowcast.impl.proposal..")
            .layer("hibernate").definedBy("dev.rowcast.impl.hibernate..")
            .layer("outbox").definedBy("dev.rowcast.impl.outbox..")
            .layer("cluster").definedBy("dev.rowcast.impl.cluster..")
            .layer("dispatch").definedBy("dev.rowcast.impl.dispatch..")
            .layer("visibility").definedBy("dev.rowcast.impl.visibility..")
            .layer("bridge").definedBy("dev.rowcast.impl.bridge..")
            .layer("protocol").definedBy("dev.rowcast.impl.protocol..")
            .layer("config").definedBy("dev.rowcast.impl.config..")
            .layer("model").definedBy("dev.rowcast.impl.model..")
            .whereLayer("boot").mayNotBeAccessedByAnyLayer()
            .whereLayer("hibernate").mayNotBeAccessedByAnyLayer()
            .whereLayer("admin").mayOnlyBeAccessedByLayers("boot")
            .whereLayer("metrics").mayOnlyBeAccessedByLayers("boot", "socket", "dispatch", "admin", "outbox",
                    "cluster")
            .whereLayer("outbox").mayOnlyBeAccessedByLayers("boot", "cluster")
            .whereLayer("cluster").mayOnlyBeAccessedByLayers("boot")
            .whereLayer("socket").mayOnlyBeAccessedByLayers("boot")
            .whereLayer("security").mayOnlyBeAccessedByLayers("boot", "socket")
            .whereLayer("talk").mayOnlyBeAccessedByLayers("boot", "socket")
            .whereLayer("proposal").mayOnlyBeAccessedByLayers("boot", "socket")
            .whereLayer("dispatch").mayOnlyBeAccessedByLayers("boot", "socket", "admin", "talk", "proposal",
                    "cluster")
            .whereLayer("visibility").mayOnlyBeAccessedByLayers("dispatch")
            .whereLayer("bridge").mayOnlyBeAccessedByLayers("boot", "socket", "dispatch", "hibernate", "admin",
                    "outbox", "cluster")
            .whereLayer("protocol").mayOnlyBeAccessedByLayers("socket", "dispatch", "hibernate", "visibility", "talk",
                    "proposal", "cluster")
            .whereLayer("config").mayOnlyBeAccessedByLayers("boot", "socket", "dispatch", "admin", "outbox", "talk",
                    "cluster");

    @ArchTest
    static final ArchRule dispatch_is_independent_of_its_sources_and_sinks = noClasses()
            .that().resideInAPackage("dev.rowcast.impl.dispatch..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.rowcast.impl.socket..",
                    "dev.rowcast.impl.hibernate..", "dev.rowcast.impl.outbox..", "dev.rowcast.impl.boot..",
                    "dev.rowcast.impl.cluster..")
            .because("the engine takes changes from any capture and sends to any Subscriber");

    @ArchTest
    static final ArchRule talk_and_proposals_stay_out_of_each_other = noClasses()
            .that().resideInAnyPackage("dev.rowcast.impl.talk..", "dev.rowcast.impl.proposal..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.rowcast.impl.socket..",
                    "dev.rowcast.impl.hibernate..", "dev.rowcast.impl.boot..", "dev.rowcast.impl.security..")
            .because("presence, broadcasts and proposals get sockets as Subscribers and their wiring from boot");

    @ArchTest
    static final ArchRule model_depends_on_nothing_else_in_impl = classes()
            .that().resideInAPackage("dev.rowcast.impl.model..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "jakarta..", "dev.rowcast",
                    "dev.rowcast.spi..", "dev.rowcast.impl.model..");

    @ArchTest
    static final ArchRule metrics_depend_on_nothing_else_in_impl = classes()
            .that().resideInAPackage("dev.rowcast.impl.metrics..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.rowcast.impl.metrics..")
            .because("every package counts into metrics; they must stay a leaf, cheap and free of cycles");

    @ArchTest
    static final ArchRule no_cycles_between_impl_packages = slices().matching("dev.rowcast.impl.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule cdi_is_looked_up_only_in_boot = noClasses()
            .that().resideOutsideOfPackage("dev.rowcast.impl.boot..")
            .should().callMethod(CDI.class, "current")
            .because("boot is the only composition root; everything else gets what it needs passed in");

    @ArchTest
    static final ArchRule static_state_lives_in_bridge = noFields()
            .that().areStatic().and(DescribedPredicate.describe("mutable (not final, or a concurrent holder)",
                    (JavaField field) -> !field.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
                            || field.getRawType().getPackageName().startsWith("java.util.concurrent")))
            .should().beDeclaredInClassesThat().resideOutsideOfPackage("dev.rowcast.impl.bridge..")
            .because("Hibernate boots before CDI, so the few statics that join them are kept in one package");
}
