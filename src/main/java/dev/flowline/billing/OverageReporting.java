package dev.flowline.billing;

import dev.flowline.billing.BillingErrors.StripeFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Metered overage: runs recorded as overage in a workspace's usage are queued as reports (an outbox) and sent to
 * Stripe as Billing Meter events for the owner's customer. Each report's identifier is derived from its slice of the
 * usage counter, so a retry (after a failure, a timeout, or a crashed instance's expired lease) never bills twice.
 * Failures are kept on the report (shown in the billing overview) and retried with exponential backoff. The engine's
 * job calls {@link #drain} on every instance; claims skip what another instance holds.
 */
@ApplicationScoped
public class OverageReporting {

    private static final Logger LOG = Logger.getLogger(OverageReporting.class.getName());

    @Inject
    BillingSettings settings;

    @Inject
    OverageReportRepository reports;

    @Inject
    StripeGateway stripe;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.billing.overage.batch-size", defaultValue = "100")
    int batchSize;

    @Inject
    @ConfigProperty(name = "flowline.billing.overage.retry-seconds", defaultValue = "30")
    long retrySeconds;

    @Inject
    @ConfigProperty(name = "flowline.billing.overage.max-retry-seconds", defaultValue = "3600")
    long maxRetrySeconds;

    /** Whether there is anything to report to: billing on and a meter configured. */
    public boolean active() {
        return settings.enabled() && settings.meterEventName().isPresent();
    }

    /** Queues new overage, then sends one batch of due reports; answers how many were sent. */
    public int drain() {
        if (!active()) {
            return 0;
        }
        enqueue();
        int sent = 0;
        for (OverageReport report : claim()) {
            if (send(report)) {
                sent++;
            }
        }
        return sent;
    }

    @Transactional
    public int enqueue() {
        return reports.enqueue(clock.instant());
    }

    @Transactional
    public List<OverageReport> claim() {
        Instant now = clock.instant();
        return reports.claimDue(now, now.plus(Duration.ofMinutes(2)), batchSize);
    }

    /** Sends one claimed report (outside any transaction: no connection is held while Stripe answers). */
    boolean send(OverageReport report) {
        try {
            stripe.reportMeterEvent(settings.meterEventName().orElseThrow(), report.identifier(), report.stripeCustomerId(),
                    report.units(), report.createdAt());
            reports.markSent(report.id(), clock.instant());
            return true;
        } catch (StripeFailedException e) {
            Instant now = clock.instant();
            long delay = Math.min(maxRetrySeconds, retrySeconds << Math.min(20, Math.max(0, report.attempts() - 1)));
            reports.markFailed(report.id(), e.stripeMessage(), now, now.plusSeconds(delay));
            LOG.warning(() -> "Overage report " + report.identifier() + " failed (attempt " + report.attempts()
                    + "), retrying in " + delay + " s: " + e.stripeMessage());
            return false;
        }
    }
}
