package dev.flowline.platform.config;

import org.eclipse.microprofile.config.Config;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * {@code flowline.development} (false by default): the one switch that lets a server start without what production
 * needs, with stand-ins that are unsafe anywhere else (an encryption key derived from the database URL, emails and
 * their links written to the log). Off, the server refuses to start without {@code flowline.encryption-keys} and a
 * way to send email, so a deployment that forgets a setting fails at once instead of running insecurely. The
 * README's run command ({@code mvn -Pserve package}) and the tests turn it on.
 */
public final class Development {

    public static final String KEY = "flowline.development";
    /** Read by earlier versions (false by default: fail open); now ignored, and said so at start-up. */
    static final String RETIRED_KEY = "flowline.production";

    private static final Logger LOG = Logger.getLogger(Development.class.getName());
    /** Several beans read the switch at start-up; the retired key is worth one warning, not one each. */
    private static final AtomicBoolean RETIRED_KEY_WARNED = new AtomicBoolean();

    private Development() {
    }

    public static boolean enabled(Config config) {
        if (config.getOptionalValue(RETIRED_KEY, String.class).isPresent()
                && RETIRED_KEY_WARNED.compareAndSet(false, true)) {
            LOG.warning(RETIRED_KEY + " is no longer read: production is the default, and a developer machine sets "
                    + KEY + "=true");
        }
        return config.getOptionalValue(KEY, Boolean.class).orElse(false);
    }
}
