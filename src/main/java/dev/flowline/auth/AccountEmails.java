package dev.flowline.auth;

import dev.flowline.platform.mail.OutgoingMail;
import dev.flowline.platform.mail.PublicLinks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** The texts of account emails. */
@ApplicationScoped
public class AccountEmails {

    @Inject
    PublicLinks links;

    OutgoingMail verification(String to, String name, String token, Duration validFor) {
        return new OutgoingMail(to, "Confirm your email address for Flowline", """
                Hello %s,

                please confirm your email address by opening this link within %d hours, signed in to the
                account you created (you will be asked to sign in if you are not):

                %s

                (API clients: POST /api/v1/auth/verify-email with {"token": "%s"}, in a session of that account.)

                If you did not sign up for Flowline, ignore this email.
                """.formatted(name, validFor.toHours(), links.withToken("verify-email", token), token));
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
                """.formatted(name, validFor.toMinutes(), links.withToken("reset-password", token), token));
    }

}
