package dev.flowline.testing;

import dev.flowline.auth.InMemorySessionRepository;
import dev.flowline.users.InMemoryUserRepository;
import dev.flowline.workflows.NoopWorkflowRepository;
import dev.flowline.workspaces.NeutralWorkspaceRepository;
import dev.flowline.workspaces.NoopWorkspaceRepository;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/**
 * Test archives built from the packaged product WAR (failsafe runs after {@code package}), so tests deploy exactly
 * what ships, plus the test classes each archive needs.
 */
public final class Deployments {

    private Deployments() {
    }

    /** The product WAR as built, on the test PostgreSQL. */
    public static WebArchive product() {
        File war = new File(System.getProperty("flowline.test.war", "target/flowline.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the tests with 'mvn verify'");
        }
        return ShrinkWrap.create(ZipImporter.class, "flowline.war").importFrom(war).as(WebArchive.class);
    }

    /** The product with in-memory repositories and a clock tests can move ({@code POST test-support/clock/advance}). */
    public static WebArchive withInMemoryRepositories() {
        return product().addClasses(InMemoryUserRepository.class, InMemorySessionRepository.class,
                NeutralWorkspaceRepository.class, NoopWorkspaceRepository.class, NoopWorkflowRepository.class,
                MutableClock.class, TestClockResource.class);
    }
}
