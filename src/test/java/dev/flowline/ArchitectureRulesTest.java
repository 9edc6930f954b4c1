package dev.flowline;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Proves that each rule of {@link ArchitectureRules} can fail, and holds on a product that keeps the architecture,
 * using the fixture roots in {@code dev.flowline.architecturefixture}.
 */
class ArchitectureRulesTest {

    private static final String FIXTURES = "dev.flowline.architecturefixture.";

    private static final Map<String, Function<String, ArchRule>> RULES = new LinkedHashMap<>();

    static {
        RULES.put("areasAreLayered", ArchitectureRules::areasAreLayered);
        RULES.put("areasAreFreeOfCycles", ArchitectureRules::areasAreFreeOfCycles);
        RULES.put("areasKeepApiAndJpaToThemselves", ArchitectureRules::areasKeepApiAndJpaToThemselves);
        RULES.put("entityManagerStaysInPersistence", ArchitectureRules::entityManagerStaysInPersistence);
        RULES.put("resourcesDoNotTouchRepositories", ArchitectureRules::resourcesDoNotTouchRepositories);
        RULES.put("onlyJpaPackagesUseJpaClasses", ArchitectureRules::onlyJpaPackagesUseJpaClasses);
        RULES.put("noMeaninglessClassNames", ArchitectureRules::noMeaninglessClassNames);
        RULES.put("jsonThroughCachedProvider", ArchitectureRules::jsonThroughCachedProvider);
    }

    static Stream<Arguments> rules() {
        return RULES.entrySet().stream().map(rule -> arguments(named(rule.getKey(), rule.getValue())));
    }

    /** Each fixture root, the rule it breaks and what the failure report must name. */
    static Stream<Arguments> breaches() {
        return Stream.of(
                breach("upward", "areasAreLayered", "UsesAuth"),
                breach("unplaced", "areasAreLayered", "Notifier"),
                breach("cycle", "areasAreFreeOfCycles", "Workflow"),
                breach("otherarea", "areasKeepApiAndJpaToThemselves", "MemberService (area workspaces)"),
                breach("entitymanager", "entityManagerStaysInPersistence", "UserService"),
                breach("resourcerepository", "resourcesDoNotTouchRepositories", "UsersResource"),
                breach("servicejpa", "onlyJpaPackagesUseJpaClasses", "UserService"),
                breach("naming", "noMeaninglessClassNames", "UserManager"),
                breach("jsonprovider", "jsonThroughCachedProvider", "SettingsParser"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holdsOnACompliantProduct(Function<String, ArchRule> rule) {
        EvaluationResult result = evaluate(rule, "compliant");

        assertThat(result.getFailureReport().getDetails()).isEmpty();
    }

    @ParameterizedTest(name = "{0} breaks {1}")
    @MethodSource("breaches")
    void failsOnAFixtureThatBreaksIt(String fixture, Function<String, ArchRule> rule, String offender) {
        EvaluationResult result = evaluate(rule, fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(detail -> assertThat(detail).contains(offender));
    }

    private static EvaluationResult evaluate(Function<String, ArchRule> rule, String fixture) {
        String root = FIXTURES + fixture;
        return rule.apply(root).evaluate(new ClassFileImporter().importPackages(root));
    }

    private static Arguments breach(String fixture, String ruleName, String offender) {
        return arguments(fixture, named(ruleName, RULES.get(ruleName)), offender);
    }
}
