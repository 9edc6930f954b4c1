package dev.flowline.testing;

import dev.flowline.auth.InMemoryLoginThrottleRepository;
import dev.flowline.auth.InMemorySessionRepository;
import dev.flowline.connections.InMemoryCredentials;
import dev.flowline.connections.InMemoryTokens;
import dev.flowline.support.InMemoryIssueReportRepository;
import dev.flowline.users.InMemoryUserRepository;
import dev.flowline.workspaces.NeutralRunUsageRepository;
import dev.flowline.workspaces.NeutralWorkspaceRepository;
import dev.flowline.workspaces.NoopInvitationRepository;
import dev.flowline.workspaces.NoopRunUsageRepository;
import dev.flowline.workspaces.NoopWorkspaceRepository;
import dev.flowline.workspaces.StaticRunUsageRepository;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Test archives built from the packaged product WAR (failsafe runs after {@code package}), so tests deploy exactly
 * what ships, plus the test classes each archive needs.
 */
public final class Deployments {

    private static final String CONFIG = "/WEB-INF/classes/META-INF/microprofile-config.properties";
    private static final String SHARED = "/WEB-INF/flowline-test-shared-server";

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

    /**
     * The repository tests on PostgreSQL (users and sessions, workspaces, workflows and runs) in one archive, so one
     * {@link #shared} server runs the three classes: they test the product's own JPA repositories, with no doubles.
     */
    public static WebArchive repositoriesOnPostgres() {
        WebArchive war = inContainer(withoutBackgroundJobs(product()));
        for (String test : List.of("dev.flowline.users.jpa.JpaRepositoriesIT",
                "dev.flowline.workspaces.jpa.JpaWorkspaceRepositoryIT",
                "dev.flowline.workflows.jpa.JpaWorkflowRepositoriesIT")) {
            war.addClass(test);
        }
        return shared(war);
    }

    /**
     * The workspace services' rules (WorkspaceRulesIT) and the credential gates of a run's steps (RunCredentialGatesIT),
     * decided inside the server on doubles of the workspace repositories and of the stored tokens and credentials, in
     * one archive, so one {@link #shared} server runs both. The OAuth provider {@code local} sends its tokens to the API
     * RunCredentialGatesIT serves on {@code test.api.port}, a port chosen once per test run so the archive stays the same.
     */
    public static WebArchive rulesOnDoubles() {
        String api = "http://127.0.0.1:" + LocalApiPort.PORT;
        WebArchive war = inContainer(withConfig(withoutBackgroundJobs(product()),
                        "test.api.port=" + LocalApiPort.PORT,
                        "flowline.engine.http.allowed-networks=127.0.0.1/32",
                        "flowline.oauth.providers=local",
                        "flowline.oauth.local.authorize-url=http://127.0.0.1:9/authorize",
                        "flowline.oauth.local.token-url=http://127.0.0.1:9/token",
                        "flowline.oauth.local.client-id=flowline-test",
                        "flowline.oauth.local.client-secret=test-secret",
                        "flowline.oauth.local.api-origins=" + api),
                NeutralWorkspaceRepository.class, StaticWorkspaceMembershipRepository.class, NoopInvitationRepository.class,
                NeutralRunUsageRepository.class, StaticRunUsageRepository.class, InMemoryTokens.class,
                InMemoryCredentials.class);
        war.addClass("dev.flowline.workspaces.WorkspaceRulesIT");
        war.addClass("dev.flowline.engine.RunCredentialGatesIT");
        return shared(war);
    }

    /** A free port on 127.0.0.1, found once (the first time an archive needs it). */
    private static final class LocalApiPort {
        static final int PORT = freePort();

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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

    /**
     * {@code war}, whose server may go on to serve the next test classes whose archive is byte for byte the same
     * (see {@link ReusingPayaraMicroContainer}): one start of Payara Micro instead of one per class. Only for archives
     * without background jobs (between its classes an idle server must not act on the shared database) and for tests
     * that need no state of a fresh server (they make their own users and workspaces, as every test does).
     */
    public static WebArchive shared(WebArchive war) {
        String config = config(war);
        if (!config.contains("flowline.engine.enabled=false") || !config.contains("flowline.scheduler.enabled=false")) {
            throw new IllegalArgumentException("Only archives without background jobs can be shared: see withoutBackgroundJobs");
        }
        return war.add(new StringAsset("served by one Payara Micro for all test classes with this archive\n"), SHARED);
    }

    static boolean isShared(org.jboss.shrinkwrap.api.Archive<?> archive) {
        return archive.contains(SHARED);
    }

    /** {@code war} with extra MicroProfile Config lines ({@code key=value}) after the product's own, which they override. */
    public static WebArchive withConfig(WebArchive war, String... lines) {
        String properties = config(war);
        war.delete(CONFIG);
        return war.add(new StringAsset(properties + "\n" + String.join("\n", lines) + "\n"), CONFIG);
    }

    private static String config(WebArchive war) {
        Node config = Objects.requireNonNull(war.get(CONFIG), CONFIG + " is not in the product WAR");
        try (InputStream in = config.getAsset().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
