package dev.flowline.triggers;

import dev.flowline.triggers.TriggerErrors.DeliveriesBusyException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lets at most {@code flowline.webhooks.max-concurrent} deliveries into their accepting transaction at once; the rest
 * wait here, in arrival order, before they take a database connection. Measured without it (bench/webhook-runs.sh at
 * 64 connections): the deliveries of one workspace queue on its run-usage row lock while each holds a pooled
 * connection, the pool's 32 connections are all theirs, and the engine, which needs one to start or finish any run,
 * waits behind them (runs trailed the accepted webhooks by seconds). A delivery that waits longer than
 * {@code flowline.webhooks.max-wait-millis} answers 429 with {@code Retry-After}, which webhook senders retry.
 */
@ApplicationScoped
public class DeliveryGate {

    @Inject
    @ConfigProperty(name = "flowline.webhooks.max-concurrent", defaultValue = "16")
    int maxConcurrent;

    @Inject
    @ConfigProperty(name = "flowline.webhooks.max-wait-millis", defaultValue = "5000")
    long maxWaitMillis;

    private Semaphore permits;

    @PostConstruct
    void open() {
        permits = new Semaphore(Math.max(1, maxConcurrent), true);
    }

    /** Runs {@code delivery} once a place is free. */
    public <T> T through(Supplier<T> delivery) {
        boolean entered;
        try {
            entered = permits.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entered = false;
        }
        if (!entered) {
            throw new DeliveriesBusyException(Duration.ofSeconds(1));
        }
        try {
            return delivery.get();
        } finally {
            permits.release();
        }
    }
}
