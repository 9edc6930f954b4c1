package dev.flowline;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceUnit;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture of DESIGN.md as ArchUnit rules. Each takes the root package whose sub-packages are the areas, so
 * that {@link ArchitectureTest} checks them on the product ({@code dev.flowline}) and {@link ArchitectureRulesTest}
 * shows each one failing on a fixture that breaks it ({@code dev.flowline.architecturefixture.*}).
 */
final class ArchitectureRules {

    private static final Set<String> PRIVATE_ROOMS = Set.of("api", "jpa");

    private ArchitectureRules() {
    }

    /** Areas depend downward in one order; "A <- B" in DESIGN.md reads "B may use A". Every class must be in an area. */
    static ArchRule areasAreLayered(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true) // the fixtures of ArchitectureRulesTest hold only some areas
                .ensureAllClassesAreContainedInArchitecture()
                .layer("platform").definedBy(root + ".platform..")
                .layer("users").definedBy(root + ".users..")
                .layer("auth").definedBy(root + ".auth..")
                .layer("workspaces").definedBy(root + ".workspaces..")
                .layer("support").definedBy(root + ".support..")
                .layer("connections").definedBy(root + ".connections..")
                .layer("billing").definedBy(root + ".billing..")
                .layer("workflows").definedBy(root + ".workflows..")
                .layer("runs").definedBy(root + ".runs..")
                .layer("triggers").definedBy(root + ".triggers..")
                .layer("audit").definedBy(root + ".audit..")
                .layer("engine").definedBy(root + ".engine..")
                .whereLayer("platform").mayOnlyBeAccessedByLayers("users", "auth", "workspaces", "support",
                        "connections", "billing", "workflows", "runs", "triggers", "audit", "engine")
                .whereLayer("users").mayOnlyBeAccessedByLayers("auth", "workspaces", "support", "connections",
                        "billing", "workflows", "runs", "triggers", "audit", "engine")
                .whereLayer("auth").mayOnlyBeAccessedByLayers("engine")
                .whereLayer("workspaces").mayOnlyBeAccessedByLayers("support", "connections", "billing",
                        "workflows", "runs", "triggers", "audit", "engine")
                .whereLayer("support").mayOnlyBeAccessedByLayers("engine")
                .whereLayer("connections").mayOnlyBeAccessedByLayers("workflows", "runs", "triggers", "audit", "engine")
                .whereLayer("billing").mayOnlyBeAccessedByLayers("engine")
                .whereLayer("workflows").mayOnlyBeAccessedByLayers("runs", "triggers", "audit", "engine")
                .whereLayer("runs").mayOnlyBeAccessedByLayers("triggers", "audit", "engine")
                .whereLayer("triggers").mayOnlyBeAccessedByLayers("engine")
                // the audit log observes the areas' events (none imports it); only engine runs its retention
                .whereLayer("audit").mayOnlyBeAccessedByLayers("engine")
                .whereLayer("engine").mayNotBeAccessedByAnyLayer()
                .because("an area must be understandable, testable and changeable with only the areas below it; "
                        + "a lower area that must react to a higher one fires a CDI event the higher one observes, "
                        + "and a new area must first be given its place in the order");
    }

    /** No two areas use each other, directly or through others. */
    static ArchRule areasAreFreeOfCycles(String root) {
        return slices().matching(root + ".(*)..").namingSlices("area $1")
                .should().beFreeOfCycles()
                .because("areas in a cycle are one area in all but name: neither can change or be tested alone");
    }

    /** An area's api/ and jpa/ packages are its own; other areas use its services and repository interfaces. */
    static ArchRule areasKeepApiAndJpaToThemselves(String root) {
        return classes().that().resideInAPackage(root + "..")
                .should(notUseAnotherAreasApiOrJpa(root))
                .because("an area's HTTP boundary and tables may change without touching other areas, "
                        + "which call its services or repository interfaces instead");
    }

    /** The EntityManager lives in the jpa/ implementations and in platform.persistence. */
    static ArchRule entityManagerStaysInPersistence(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + "..jpa..", root + ".platform.persistence..")
                .should().dependOnClassesThat().belongToAnyOf(EntityManager.class, EntityManagerFactory.class,
                        PersistenceContext.class, PersistenceUnit.class)
                .because("services and resources work through repository interfaces, so that in-memory doubles "
                        + "can replace the database in tests and all SQL of an area sits in its jpa/ package");
    }

    /** Resources call services, never repositories or JPA classes. */
    static ArchRule resourcesDoNotTouchRepositories(String root) {
        return noClasses().that().resideInAPackage(root + "..api..")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
                .orShould().dependOnClassesThat().resideInAPackage(root + "..jpa..")
                .because("resources are thin: services hold the business rules and the transaction boundary");
    }

    /** Nothing outside the jpa/ packages depends on them: services depend on repository interfaces. */
    static ArchRule onlyJpaPackagesUseJpaClasses(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackage(root + "..jpa..")
                .should().dependOnClassesThat().resideInAPackage(root + "..jpa..")
                .because("a service injects the repository interface, so that a CDI alternative "
                        + "can take the place of the Jpa* implementation");
    }

    /** DESIGN.md's naming rule. */
    static ArchRule noMeaninglessClassNames(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should().haveSimpleNameEndingWith("Impl")
                .orShould().haveSimpleNameEndingWith("Manager")
                .orShould().haveSimpleNameEndingWith("Util")
                .orShould().haveSimpleNameEndingWith("Utils")
                .orShould().haveSimpleNameEndingWith("Helper")
                .because("a class is named for what it does; Impl, Manager, Util and Helper say nothing about it");
    }

    /** JSON-P through {@code platform.json.Jsons}: {@code jakarta.json.Json} looks its provider up on every call. */
    static ArchRule jsonThroughCachedProvider(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should().dependOnClassesThat().belongToAnyOf(Json.class)
                .because("jakarta.json.Json searches the class path with the service loader on every call (a tenth of "
                        + "the server's CPU in bench/webhook-runs.sh); platform.json.Jsons holds one provider");
    }

    private static ArchCondition<JavaClass> notUseAnotherAreasApiOrJpa(String root) {
        return new ArchCondition<>("not use another area's api or jpa package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String originArea = packagePart(root, origin, 0);
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    String targetArea = packagePart(root, target, 0);
                    String room = packagePart(root, target, 1);
                    if (PRIVATE_ROOMS.contains(room) && !targetArea.equals(originArea)) {
                        events.add(SimpleConditionEvent.violated(dependency, String.format(
                                "%s (area %s) uses %s, in the %s package of area %s: %s", origin.getName(),
                                originArea, target.getName(), room, targetArea, dependency.getDescription())));
                    }
                }
            }
        };
    }

    /** Part {@code index} of the package below {@code root}: 0 is the area, 1 the room (api, jpa, ...); else "". */
    private static String packagePart(String root, JavaClass javaClass, int index) {
        String packageName = javaClass.getPackageName();
        if (!packageName.startsWith(root + ".")) {
            return "";
        }
        String[] parts = packageName.substring(root.length() + 1).split("\\.");
        return index < parts.length ? parts[index] : "";
    }
}
