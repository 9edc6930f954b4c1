package dev.flowline.platform.config;

import dev.flowline.platform.persistence.DatabaseProbe;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * One readable block in the log once the application has started (the server's own start-up output is long): the
 * version, the database (URL without credentials, and the user), development mode, the engine, scheduler and
 * retention switches, where email goes, the request log format, which {@code flowline} keys are set and by which
 * configuration source (names only, never values), and the URLs to try. Secrets are never printed.
 */
@ApplicationScoped
public class StartupSummary {

    private static final Logger LOG = Logger.getLogger(StartupSummary.class.getName());
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.flowline/flowline/pom.properties";
    private static final Pattern FLOWLINE_KEY = Pattern.compile("(?i)flowline[._].*");

    @Inject
    Config config;

    @Inject
    Instance<DatabaseProbe> database;

    // after the other start-up observers (the mail check may still refuse to start)
    void started(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 900) @Initialized(ApplicationScoped.class)
                 Object event) {
        LOG.info(summary(event instanceof ServletContext context ? context : null));
    }

    public String summary(ServletContext context) {
        String base = value("flowline.public-base-url", "http://localhost:8080").replaceAll("/+$", "");
        StringBuilder text = new StringBuilder("Flowline ").append(version(context)).append(" started\n");
        line(text, "database", database());
        line(text, "development", Development.enabled(config)
                ? "ON (flowline.development=true: derived encryption key allowed, emails may go to the log)" : "off");
        line(text, "engine", flag("flowline.engine.enabled") ? "on, " + value("flowline.engine.workers", "8") + " workers"
                : "off on this instance");
        line(text, "scheduler", flag("flowline.scheduler.enabled") ? "on" : "off on this instance");
        line(text, "retention", flag("flowline.retention.enabled") ? "on" : "off on this instance");
        line(text, "mail", mailRoute());
        line(text, "request log", value("flowline.http.request-log", "text"));
        line(text, "keys set", keysBySource());
        line(text, "API", base + "/api/v1 (OpenAPI at /openapi, " + (onWildFly()
                ? "health at /health/ready and /health/live and metrics at /metrics on WildFly's management interface)"
                : "health at /health/ready and /health/live, metrics at /metrics)"));
        return text.toString();
    }

    private String mailRoute() {
        if (config.getOptionalValue("flowline.mail.smtp.host", String.class).isPresent()) {
            return "SMTP " + value("flowline.mail.smtp.host", "") + ":" + value("flowline.mail.smtp.port", "587")
                    + (config.getOptionalValue("flowline.mail.smtp.user", String.class).isPresent() ? " with a user" : "");
        }
        if (config.getOptionalValue("flowline.mail.outbox-dir", String.class).isPresent()) {
            return "files in the outbox " + value("flowline.mail.outbox-dir", "");
        }
        return "the log (development only)";
    }

    /** The names of the flowline keys that are set, by the source they come from; never their values. */
    private String keysBySource() {
        Map<String, TreeSet<String>> bySource = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (!FLOWLINE_KEY.matcher(name).matches()) {
                continue;
            }
            ConfigValue value = config.getConfigValue(name);
            if (value.getValue() != null) {
                String source = value.getSourceName() == null ? "unknown source" : value.getSourceName();
                bySource.computeIfAbsent(source, s -> new TreeSet<>()).add(name);
            }
        }
        StringBuilder keys = new StringBuilder();
        bySource.forEach((source, names) -> keys.append("\n      ").append(source).append(": ")
                .append(String.join(", ", names)));
        return keys.length() == 0 ? "none (defaults only)" : keys.toString();
    }

    private boolean flag(String key) {
        return config.getOptionalValue(key, Boolean.class).orElse(true);
    }

    private String value(String key, String fallback) {
        return config.getOptionalValue(key, String.class).orElse(fallback);
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(String.format(Locale.ROOT, "  %-12s %s%n", name + ":", value));
    }

    private static String version(ServletContext context) {
        if (context == null) {
            return "(version unknown)";
        }
        try (InputStream in = context.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "(version unknown)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }

    /**
     * The JDBC URL without credentials: user information before the host, and {@code password} (or any parameter
     * whose name holds "password", "secret" or "key") in the query, are replaced by {@code ***}.
     */
    /**
     * What the pool reaches (the driver's word, without the driver's parameters: it lists them all), else what the
     * configuration says.
     */
    private String database() {
        try {
            if (database != null && database.isResolvable()) {
                return redactedUrl(database.get().reached().replaceFirst("\\?[^ ]*", ""));
            }
        } catch (SQLException | RuntimeException unreachable) {
            // the configuration's word below; readiness reports the outage
        }
        return redactedUrl(value("flowline.db.url", "(none)")) + " as " + value("flowline.db.user", "(none)")
                + " (configured; not reached)";
    }

    /** WildFly's launcher sets jboss.home.dir; health and metrics are on its management interface there. */
    private static boolean onWildFly() {
        return System.getProperty("jboss.home.dir") != null;
    }

    static String redactedUrl(String url) {
        String redacted = url.replaceAll("//[^/@?]*@", "//***@");
        return redacted.replaceAll("(?i)([?&;](?:[^=&;]*(?:password|secret|key)[^=&;]*)=)[^&;]*", "$1***");
    }
}
