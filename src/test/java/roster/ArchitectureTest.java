package roster;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering that keeps one core under many front ends, as the README draws it: the model at the bottom, the
 * store as the only home of SQL, the directory (writes) and auth beside each other, queries above them, and the
 * front ends on top, each translating its wire into the core and never into another front end.
 */
@AnalyzeClasses(packages = "roster", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheStoreSpeaksSql = noClasses().that().resideOutsideOfPackage("roster.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "javax.sql..", "com.zaxxer..",
                    "org.flywaydb..", "org.sqlite..", "org.postgresql..")
            .because("store/ is the one home for SQL");

    @ArchTest
    static final ArchRule layersReadDownwardsOnly = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Model").definedBy("roster.model..", "roster.crypto..", "roster.config..")
            .layer("Store").definedBy("roster.store..")
            .layer("Directory").definedBy("roster.directory..")
            .layer("Auth").definedBy("roster.auth..")
            .layer("Query").definedBy("roster.query..")
            .layer("Core").definedBy("roster.core..")
            .layer("Fixture").definedBy("roster.fixture..")
            .layer("Http").definedBy("roster.http..")
            .layer("FrontEnds").definedBy("roster.admin..", "roster.dialect..", "roster.bench..", "roster.docs..", "roster.console..", "roster.scim..",
                    "roster.webhook..", "roster.ldap..")
            .layer("Launcher").definedBy("roster", "roster.demo..")
            .whereLayer("Model").mayOnlyAccessLayers("Model")
            .whereLayer("Store").mayOnlyAccessLayers("Model")
            .whereLayer("Directory").mayOnlyAccessLayers("Model", "Store")
            .whereLayer("Auth").mayOnlyAccessLayers("Model", "Store")
            .whereLayer("Query").mayOnlyAccessLayers("Model", "Store")
            .whereLayer("Core").mayOnlyAccessLayers("Model", "Store", "Directory", "Auth", "Query")
            .whereLayer("Fixture").mayOnlyAccessLayers("Model", "Store", "Directory")
            .whereLayer("Http").mayOnlyAccessLayers("Model", "Core")
            .whereLayer("FrontEnds").mayOnlyAccessLayers("Model", "Directory", "Auth", "Query", "Core", "Fixture", "Http")
            .whereLayer("Launcher").mayNotBeAccessedByAnyLayer();

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("roster.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule frontEndsStandAlone = slices().matching("roster.dialect.(*)..").should().notDependOnEachOther()
            .because("each dialect translates its own wire into the core, never into another dialect");
}
