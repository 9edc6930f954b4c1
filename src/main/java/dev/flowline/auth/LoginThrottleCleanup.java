package dev.flowline.auth;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Deletes login throttle rows that are forgotten anyway (no attempt for {@code flowline.auth.login.forget-hours}),
 * so addresses that failed once and never came back do not pile up. Hourly on every instance (batches skip rows
 * another instance holds); off with the other retention work ({@code flowline.retention.enabled=false}).
 * Here rather than in the engine's retention job because the engine may not use {@code auth}.
 */
@Singleton
public class LoginThrottleCleanup {

    private static final Logger LOG = Logger.getLogger(LoginThrottleCleanup.class.getName());
    private static final int BATCH = 1000;
    private static final int MAX_BATCHES = 100;

    @Inject
    LoginThrottleRepository attempts;

    @Inject
    AuthSettings settings;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.retention.enabled", defaultValue = "true")
    boolean enabled;

    @Schedule(hour = "*", minute = "41", persistent = false)
    void deleteForgotten() {
        if (!enabled) {
            return;
        }
        Instant before = clock.instant().minus(settings.loginThrottlePolicy().forgetAfter());
        long total = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int deleted = attempts.deleteForgotten(before, BATCH);
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        if (total > 0) {
            long deleted = total;
            LOG.info(() -> "Deleted " + deleted + " forgotten login throttle rows");
        }
    }
}
