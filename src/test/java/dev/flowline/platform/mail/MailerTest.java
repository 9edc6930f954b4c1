package dev.flowline.platform.mail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Without an SMTP server, the email goes to the log on a developer machine, and never with its link in production. */
class MailerTest {

    private static final OutgoingMail RESET = new OutgoingMail("ann@example.com", "Reset your Flowline password",
            "open http://localhost/reset-password?token=SECRET-TOKEN");

    private final List<String> logged = new ArrayList<>();
    private final Logger logger = Logger.getLogger(Mailer.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
    }

    private static Mailer withoutSmtp(boolean production) {
        Mailer mailer = new Mailer();
        mailer.host = Optional.empty();
        mailer.production = production;
        return mailer;
    }

    @Test
    void aDeveloperFindsTheLinkInTheLog() {
        withoutSmtp(false).send(RESET);
        assertThat(logged).singleElement().asString().contains("SECRET-TOKEN").contains("ann@example.com");
    }

    @Test
    void productionLogsThatTheEmailWasNotSentButNotItsLink() {
        withoutSmtp(true).send(RESET);
        assertThat(logged).singleElement().asString().contains("was not sent").contains("ann@example.com")
                .doesNotContain("SECRET-TOKEN");
    }
}
