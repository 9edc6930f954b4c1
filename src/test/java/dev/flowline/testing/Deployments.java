package dev.flowline.testing;

import dev.flowline.auth.InMemoryLoginThrottleRepository;
import dev.flowline.auth.InMemorySessionRepository;
import dev.flowline.support.InMemoryIssueReportRepository;
import dev.flowline.users.InMemoryUserRepository;
import dev.flowline.workspaces.NeutralRunUsageRepository;
import dev.flowline.workspaces.NeutralWorkspaceRepository;
import dev.flowline.workspaces.NoopInvitationRepository;
import dev.flowline.workspaces.NoopRunUsageRepository;
import dev.flowline.workspaces.NoopWorkspaceRepository;
import org.assertj.core.api.Assertions;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Test archives built from the packaged product WAR (failsafe runs after {@code package}), so tests deploy exactly
 * what ships, plus the test classes each archive needs.
 */
public final class Deployments {

    private static final String CONFIG = "/WEB-INF/classes/META-INF/microprofile-config.properties";

    private Deployments() {
    }

    /**
     * The product WAR as built, on the test PostgreSQL, with sign-in limits far above what the tests do: they sign up
     * and log in rapidly and in parallel from 127.0.0.1. Tests of the limits set their own with {@link #withConfig}.
     */
    public static WebArchive product() {
        File war = new File(System.getProperty("flowline.test.war", "target/flowline.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: run the tests with 'mvn verify'");
        }
        WebArchive product = ShrinkWrap.create(ZipImporter.class, "flowline.war").importFrom(war).as(WebArchive.class);
        return withConfig(product, "flowline.auth.limit.per-address-per-minute=1000000",
                "flowline.auth.limit.global-per-minute=1000000", "flowline.auth.hashing.max-concurrent=64");
    }

    /**
     * {@code war} with the classes of a test that runs inside the container, and AssertJ beside them (the product
     * does not ship it), so in-container tests assert the same way as every other test; and the shared helpers that
     * run inside the container ({@link Fixtures}, {@link Threads}, {@link Sql}, {@link InMemoryRows}).
     */
    public static WebArchive inContainer(WebArchive war, Class<?>... testClasses) {
        return war.addClasses(testClasses).addClasses(Fixtures.class, Threads.class, Sql.class, InMemoryRows.class)
                .addAsLibrary(jarOf(Assertions.class));
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the jar of " + type, e);
        }
    }

    /**
     * The product with in-memory users, sessions, login throttles and issue reports, neutral workspaces, a clock tests can move
     * ({@code POST test-support/clock/advance}), and no background jobs (they would act on the shared database).
     */
    public static WebArchive withInMemoryRepositories() {
        return withoutBackgroundJobs(product()).addClasses(InMemoryUserRepository.class, InMemorySessionRepository.class,
                InMemoryLoginThrottleRepository.class,
                NeutralWorkspaceRepository.class, NoopWorkspaceRepository.class, NoopInvitationRepository.class,
                NeutralRunUsageRepository.class, NoopRunUsageRepository.class, InMemoryIssueReportRepository.class,
                MutableClock.class, MovableClock.class, TestClockResource.class);
    }

    /**
     * {@code war} with a clock that runs with the system's and that client-side tests move forward
     * ({@code POST test-support/clock/advance}) to jump over a wait: for archives whose engine runs.
     */
    public static WebArchive withShiftedClock(WebArchive war) {
        return war.addClasses(ShiftedClock.class, MovableClock.class, TestClockResource.class);
    }

    /**
     * The product with its background work off: the schedule poller, retention, the engine that executes runs, the
     * overage reports to Stripe, and the logging of refused webhook tallies (a test flushes them itself).
     * For archives whose tests make schedules due by moving a clock, look at runs as they were queued, or run on
     * repository doubles: the jobs would act on their own thread, at any time, on the shared database.
     */
    public static WebArchive withoutBackgroundJobs(WebArchive war) {
        return withConfig(war, "flowline.scheduler.enabled=false", "flowline.retention.enabled=false",
                "flowline.engine.enabled=false", "flowline.webhooks.refusal-log-seconds=86400",
                "flowline.connections.enabled=false", "flowline.billing.overage.enabled=false");
    }

    /** {@code war} with extra MicroProfile Config lines ({@code key=value}) after the product's own, which they override. */
    public static WebArchive withConfig(WebArchive war, String... lines) {
        Node config = Objects.requireNonNull(war.get(CONFIG), CONFIG + " is not in the product WAR");
        String properties;
        try (InputStream in = config.getAsset().openStream()) {
            properties = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        war.delete(CONFIG);
        return war.add(new StringAsset(properties + "\n" + String.join("\n", lines) + "\n"), CONFIG);
    }
}
