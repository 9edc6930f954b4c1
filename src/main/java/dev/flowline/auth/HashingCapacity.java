package dev.flowline.auth;

import dev.flowline.auth.AuthErrors.HashingBusyException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the password hashes computed at once ({@code flowline.auth.hashing.max-concurrent}, one per processor by
 * default). A hash is ~150 ms of a core: a request that finds every slot taken is answered 429 with Retry-After at
 * once instead of queueing, so a flood of logins cannot starve the rest of the API of CPU and threads.
 */
@ApplicationScoped
public class HashingCapacity {

    @Inject
    AuthSettings settings;

    private Semaphore slots;

    @PostConstruct
    void size() {
        slots = new Semaphore(settings.maxConcurrentHashing());
    }

    /** A slot to hash in, released by closing it; throws {@link HashingBusyException} when none is free. */
    public Slot admit() {
        if (!slots.tryAcquire()) {
            throw new HashingBusyException();
        }
        return new Slot();
    }

    /** One hashing slot; closing it twice releases it once. */
    public final class Slot implements AutoCloseable {

        private final AtomicBoolean open = new AtomicBoolean(true);

        private Slot() {
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                slots.release();
            }
        }
    }
}
