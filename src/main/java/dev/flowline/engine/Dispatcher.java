package dev.flowline.engine;

import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.runs.ClaimedRun;
import dev.flowline.runs.ReservedWorker;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunQueued;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Runs workflow runs on this instance, on {@code flowline.engine.workers} long-lived worker threads ({@link RunWorkers},
 * made by the container's thread factory; claims and lease renewals on threads of their own, {@link FixedDelayJob}):
 * at most one run per worker at a time. A run accepted here while a worker is free is handed to it: the accepting
 * transaction reserves the worker ({@link #reserve}), inserts the run leased to a claim of its own, and the worker
 * starts it after the commit, with no claim statement. Another run accepted here is claimed at once (after its
 * transaction commits); a poll every {@code flowline.engine.poll-millis} claims whatever else is due (delays ended, retries, runs accepted on
 * busy or dead instances). Leases last {@code flowline.engine.lease-seconds} and are renewed at a third of that, so a
 * dead instance's runs are taken over within one lease. Each claim leases its runs under a holder of its own
 * ({@code <instance>#<claim number>}), which every later write of those runs names: a walk that lost its lease while
 * its instance was frozen writes nothing, even after the same instance claimed the run again. On shutdown it stops claiming, lets running steps finish for
 * up to {@code flowline.engine.shutdown-seconds}, and gives the rest back to the queue.
 */
@Singleton
@LocalBean // its public methods are its view (the observer among them), not only EngineLease's
@Startup
@DependsOn("LiquibaseMigrator")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Dispatcher implements EngineLease {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    DatabaseAvailability database;

    @Inject
    RunQueue queue;

    @Inject
    RunExecutor executor;

    @Inject
    EngineMetrics metrics;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.engine.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "flowline.engine.workers", defaultValue = "8")
    int workerCount;

    @Inject
    @ConfigProperty(name = "flowline.engine.poll-millis", defaultValue = "500")
    int pollMillis;

    @Inject
    @ConfigProperty(name = "flowline.engine.batch-size", defaultValue = "32")
    int batchSize;

    @Inject
    @ConfigProperty(name = "flowline.engine.lease-seconds", defaultValue = "60")
    int leaseSeconds;

    @Inject
    @ConfigProperty(name = "flowline.engine.shutdown-seconds", defaultValue = "10")
    int shutdownSeconds;

    /** Whether a run accepted here while a worker is free is handed to it without a claim ({@link #reserve}). */
    @Inject
    @ConfigProperty(name = "flowline.engine.hand-off", defaultValue = "true")
    boolean handOff = true;

    private final String owner = instanceName();
    private final AtomicLong claims = new AtomicLong();
    /** The runs executing here, each with the holder of the claim that leased it. */
    private final Set<Lease> inFlight = ConcurrentHashMap.newKeySet();
    /** Runs whose execution the database's outage broke, still leased here until they are released. */
    private final Set<Lease> interrupted = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean claimRequested = new AtomicBoolean();
    /** Whether the latest claim found runs: then a worker that frees up claims again at once, else the poll does. */
    private volatile boolean lastClaimFound;
    private final FixedDelayJob poller = new FixedDelayJob("Claiming due runs", this::claimDue, () -> database);
    private final FixedDelayJob renewer = new FixedDelayJob("Renewing run leases", this::renewLeases, () -> database);
    /** A run is given to a worker only with a slot taken for it: never more runs than workers, queued or running. */
    private Semaphore slots;
    private RunWorkers workers;
    private volatile boolean stopping;

    @PostConstruct
    void start() {
        slots = new Semaphore(Math.max(1, workerCount));
        if (enabled) {
            workers = new RunWorkers(threads, workerCount);
            poller.start(threads, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
            long renewMillis = Math.max(1_000L, leaseSeconds * 1_000L / 3);
            renewer.start(threads, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
            LOG.info(() -> "Engine " + owner + ": " + workerCount + " workers, leases of " + leaseSeconds + " s");
        }
    }

    /** Stops the job (also called early by {@link EngineShutdown}); stopping again does nothing more. */
    @PreDestroy
    public void stop() {
        stopping = true;
        poller.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(shutdownSeconds);
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        renewer.stop();
        // runs still waiting for a worker (only if the deadline passed) never start; they are given back with the rest
        List<Runnable> unstarted = workers != null ? workers.stop() : List.of();
        if (!inFlight.isEmpty()) {
            int released = 0;
            for (Map.Entry<String, List<UUID>> held : byHolder().entrySet()) {
                released += queue.release(held.getKey(), held.getValue(), clock.instant());
            }
            int count = released;
            LOG.info(() -> "Engine " + owner + " stopped; gave " + count + " unfinished runs back to the queue");
        }
        for (Runnable walk : unstarted) {
            inFlight.remove(((Walk) walk).lease); // given back, and no worker will end it
        }
    }

    /** A run executing here and the holder of its lease. */
    private record Lease(UUID runId, String holder) {
    }

    private Map<String, List<UUID>> byHolder() {
        return byHolder(inFlight);
    }

    private static Map<String, List<UUID>> byHolder(Collection<Lease> leases) {
        return leases.stream().collect(Collectors.groupingBy(Lease::holder,
                Collectors.mapping(Lease::runId, Collectors.toList())));
    }

    /**
     * A run accepted on this instance is claimed at once, not at the next poll: an idle engine starts it within
     * milliseconds, and under load the runs accepted while a claim is in flight are taken by the next one together
     * (one claim, one commit, for many runs).
     */
    public void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunQueued queued) {
        requestClaim();
    }

    /**
     * Reserves a free worker for a run that the current transaction accepts ({@link dev.flowline.runs.FreeWorkers}):
     * the worker's slot is taken now and, when the transaction ends, either runs the run handed to it (committed) or
     * is freed. Empty when no worker is free, or the engine is off or stopping, or {@code flowline.engine.hand-off}
     * is false (then every accepted run is claimed from the queue).
     */
    public Optional<ReservedWorker> reserve() {
        if (!enabled || !handOff || stopping || slots == null) {
            return Optional.empty();
        }
        if (!slots.tryAcquire()) {
            metrics.handOff("no_worker");
            return Optional.empty();
        }
        Reservation reservation = new Reservation(owner + "#" + claims.incrementAndGet());
        try {
            transactions.registerInterposedSynchronization(reservation);
        } catch (RuntimeException e) { // no transaction to follow: nothing could be handed off
            slots.release();
            return Optional.empty();
        }
        return Optional.of(reservation);
    }

    /** A worker's slot held for one accepting transaction, and the run handed to it. */
    private final class Reservation implements ReservedWorker, Synchronization {

        private final String holder;
        private volatile ClaimedRun run;

        Reservation(String holder) {
            this.holder = holder;
        }

        @Override
        public String holder() {
            return holder;
        }

        @Override
        public Duration lease() {
            return duration();
        }

        @Override
        public void handOff(ClaimedRun run) {
            this.run = run;
        }

        @Override
        public void beforeCompletion() {
        }

        /** After the commit the run is leased here: start it (no database call may be made in this callback). */
        @Override
        public void afterCompletion(int status) {
            ClaimedRun given = run;
            if (status != Status.STATUS_COMMITTED || given == null) {
                slots.release();
                metrics.handOff(given == null ? "queued" : "rolled_back");
                return;
            }
            metrics.handOff("handed_off");
            if (!giveToWorker(given)) {
                // the engine stopped between the reservation and the commit (its give-back may have run already)
                LOG.warning(() -> "Run " + given.run().id() + " was accepted as this instance stopped; it will be"
                        + " claimed again when its lease expires");
            }
        }
    }

    /** Claims soon on the poller's thread; requests made while one is pending are served by it. */
    private void requestClaim() {
        if (enabled && !stopping && claimRequested.compareAndSet(false, true)) {
            if (!poller.runSoon(this::claimOnRequest)) {
                claimRequested.set(false); // stopping, or not started yet: the poll will find it
            }
        }
    }

    private void claimOnRequest() {
        claimRequested.set(false); // a run accepted from now on asks for another claim
        if (!database.open()) {
            return; // the poll resumes when the database answers again
        }
        try {
            claimDue();
        } catch (RuntimeException e) {
            if (!database.failed(e)) { // an outage is logged once, by DatabaseAvailability and the poll
                LOG.log(Level.WARNING, "Claiming accepted runs failed; the poll will retry", e);
            }
        }
    }

    private void claimDue() {
        releaseInterrupted();
        while (!stopping) {
            int wanted = Math.min(batchSize, slots.availablePermits());
            if (wanted == 0 || !slots.tryAcquire(wanted)) {
                return;
            }
            List<ClaimedRun> claimed;
            try {
                Instant began = clock.instant();
                claimed = queue.claim(owner + "#" + claims.incrementAndGet(), began, duration(), wanted);
                metrics.claimed(Duration.between(began, clock.instant()));
            } catch (RuntimeException e) {
                slots.release(wanted);
                throw e;
            }
            slots.release(wanted - claimed.size());
            lastClaimFound = !claimed.isEmpty();
            for (ClaimedRun run : claimed) {
                if (!giveToWorker(run)) { // stopped meanwhile: back to the queue, for any instance
                    queue.release(run.run().leasedBy(), List.of(run.run().id()), clock.instant());
                }
            }
            if (claimed.size() < wanted) {
                return;
            }
        }
    }

    /**
     * Gives the runs an outage interrupted back to the queue, due now (each only if this instance still holds its
     * lease and it is RUNNING), so they go on within a poll of the database's return instead of after their lease.
     * Their finished steps are recorded: they continue from there.
     */
    private void releaseInterrupted() {
        if (interrupted.isEmpty()) {
            return;
        }
        List<Lease> runs = List.copyOf(interrupted);
        int released = 0;
        for (Map.Entry<String, List<UUID>> held : byHolder(runs).entrySet()) {
            released += queue.release(held.getKey(), held.getValue(), clock.instant());
        }
        interrupted.removeAll(runs);
        int total = released;
        LOG.info(() -> "Gave " + total + " of " + runs.size() + " runs interrupted by the database outage back"
                + " to the queue");
    }

    /**
     * Queues {@code run}, leased here, for the next free worker, a slot taken for it; it counts as in flight from now
     * (renewed, waited for and given back on shutdown). False, with its slot freed, when the engine stopped.
     */
    private boolean giveToWorker(ClaimedRun run) {
        Walk walk = new Walk(run, new Lease(run.run().id(), run.run().leasedBy()));
        inFlight.add(walk.lease);
        if (workers != null && workers.execute(walk)) {
            return true;
        }
        inFlight.remove(walk.lease);
        slots.release();
        return false;
    }

    /** A run waiting for a worker, then running on it. */
    private final class Walk implements Runnable {

        private final ClaimedRun run;
        private final Lease lease;

        Walk(ClaimedRun run, Lease lease) {
            this.run = run;
            this.lease = lease;
        }

        @Override
        public void run() {
            execute(run, lease);
        }
    }

    /**
     * Runs one claimed run on this worker. Whatever escapes the run, an {@link Error} included, dead-letters it here
     * (best effort: if that write fails too, its lease expires and the takeover cap, {@code flowline.engine
     * .max-takeovers}, ends it), and this worker and its slot go on.
     */
    private void execute(ClaimedRun claimed, Lease lease) {
        UUID runId = lease.runId();
        try {
            executor.execute(claimed, this);
        } catch (RuntimeException e) {
            if (database.failed(e)) {
                // The database went away under the run: given back to the queue as soon as it answers again
                // (releaseInterrupted), not after its lease; logged once per outage, by DatabaseAvailability.
                interrupted.add(lease);
            } else {
                // The executor's own writes failed (nodes' failures never get here). The lease expires and another
                // attempt takes the run over, at most max-takeovers times.
                LOG.log(Level.WARNING, "Run " + runId + " failed in the engine; it will be taken over when its lease"
                        + " expires", e);
            }
        } catch (Error e) {
            // OutOfMemoryError, StackOverflowError...: the same run would do it again on any instance.
            LOG.log(Level.SEVERE, "Run " + runId + " stopped the engine's worker with " + e, e);
            deadLetter(lease, e);
        } finally {
            inFlight.remove(lease);
            slots.release();
            if (lastClaimFound) {
                // runs are flowing: a due run, perhaps one its workflow's concurrency limit held back, starts now
                requestClaim();
            }
        }
    }

    private void deadLetter(Lease lease, Throwable cause) {
        UUID runId = lease.runId();
        try {
            if (queue.deadLetter(runId, lease.holder(), List.of(), RunExecutor.stoppedBy(cause) + ".", null, clock.instant())) {
                metrics.deadLettered();
            }
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "Run " + runId + " could not be dead-lettered; its lease will expire", e);
        }
    }

    private void renewLeases() {
        for (Map.Entry<String, List<UUID>> held : byHolder().entrySet()) {
            queue.renew(held.getKey(), held.getValue(), clock.instant().plus(duration()));
        }
    }

    /** This instance's name; its claims lease runs under {@code <name>#<claim number>}. */
    @Override
    public String owner() {
        return owner;
    }

    @Override
    public Duration duration() {
        return Duration.ofSeconds(leaseSeconds);
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "instance";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
