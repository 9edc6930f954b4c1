package dev.flowline.auth;

import dev.flowline.platform.mail.OutgoingMail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The texts of account emails. Links point at the front end under {@code flowline.public-base-url}. */
@ApplicationScoped
public class AccountEmails {

    @Inject
    @ConfigProperty(name = "flowline.public-base-url", defaultValue = "http://localhost:8080")
    String publicBaseUrl;

    OutgoingMail verification(String to, String name, String token, Duration validFor) {
        return new OutgoingMail(to, "Confirm your email address for Flowline", """
                Hello %s,

                please confirm your email address by opening this link within %d hours:

                %s

                (API clients: POST /api/v1/auth/verify-email with {"token": "%s"}.)

                If you did not sign up for Flowline, ignore this email.
                """.formatted(name, validFor.toHours(), link("verify-email", token), token));
    }

    OutgoingMail passwordReset(String to, String name, String token, Duration validFor) {
        return new OutgoingMail(to, "Reset your Flowline password", """
                Hello %s,

                someone asked to reset the password of your Flowline account. To choose a new password, open this
                link within %d minutes:

                %s

                (API clients: POST /api/v1/auth/password-reset/confirm with {"token": "%s", "newPassword": "..."}.)

                Resetting signs you out everywhere. If you did not ask for this, ignore this email: your password
                stays as it is.
                """.formatted(name, validFor.toMinutes(), link("reset-password", token), token));
    }

    private String link(String page, String token) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + "/" + page + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
