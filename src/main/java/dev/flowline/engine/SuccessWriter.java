package dev.flowline.engine;

import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunSuccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes succeeded runs in groups, one statement and one commit for every run that succeeded while the previous
 * group was being written (group commit, as PostgreSQL does for WAL): a commit costs the same for one run or fifty,
 * so under load the engine's writes per run fall well below one, and an idle engine writes a run at once. The worker
 * whose run arrives when no write is in flight writes the group on its own thread; when it is done, the oldest
 * waiting worker writes the next one. Each worker returns once its own run is written (or found no longer leased).
 */
@ApplicationScoped
public class SuccessWriter {

    private static final Logger LOG = Logger.getLogger(SuccessWriter.class.getName());

    @Inject
    RunQueue queue;

    @Inject
    Clock clock;

    private final Object lock = new Object();
    private List<Pending> waiting = new ArrayList<>();
    private boolean writing;

    /** One run waiting to be written, with what its worker waits for. */
    private static final class Pending {
        final RunSuccess success;
        final CompletableFuture<Boolean> written = new CompletableFuture<>();
        /** Completed when this worker is to write the next group (its run is in it). */
        final CompletableFuture<Void> lead = new CompletableFuture<>();

        Pending(RunSuccess success) {
            this.success = success;
        }
    }

    /**
     * Writes the run as SUCCEEDED with its steps, in a group; answers whether its {@linkplain RunSuccess#owner
     * holder} still held its lease (false: another instance took it over and nothing was written).
     */
    public boolean write(RunSuccess success) {
        Pending mine = new Pending(success);
        boolean leading;
        synchronized (lock) {
            waiting.add(mine);
            leading = !writing;
            writing = true;
        }
        if (!leading) {
            CompletableFuture.anyOf(mine.written, mine.lead).join();
            leading = !mine.written.isDone();
        }
        if (leading) {
            writeGroup();
        }
        return mine.written.join();
    }

    /** How many runs wait for a write (for tests). */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** Writes everything waiting (the caller's run among it), then hands the next group to the oldest waiter. */
    private void writeGroup() {
        List<Pending> group;
        synchronized (lock) {
            group = waiting;
            waiting = new ArrayList<>();
        }
        try {
            write(group);
        } finally {
            synchronized (lock) {
                if (waiting.isEmpty()) {
                    writing = false;
                } else {
                    waiting.get(0).lead.complete(null);
                }
            }
        }
    }

    /** One statement for the group, whatever claim (lease holder) each run came from. */
    private void write(List<Pending> group) {
        try {
            Set<UUID> written = queue.succeedAll(group.stream().map(p -> p.success).toList(), clock.instant());
            group.forEach(p -> p.written.complete(written.contains(p.success.runId())));
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).written.completeExceptionally(e);
                return;
            }
            // e.g. a deadlock with a lease renewal: one at a time, so that one bad run cannot hold back the others
            LOG.log(Level.FINE, "Writing " + group.size() + " succeeded runs together failed; writing them one by one", e);
            group.forEach(p -> write(List.of(p)));
        }
    }
}
