package dev.flowline.platform.mail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Without an SMTP server: the email goes to the outbox folder when there is one, to the log on a developer machine,
 * and otherwise the application does not start.
 */
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

    private static Mailer withoutSmtp(boolean development, Path outbox) {
        Mailer mailer = new Mailer();
        mailer.host = Optional.of(" ");
        mailer.outboxDir = Optional.ofNullable(outbox).map(Path::toString);
        mailer.from = "Flowline <no-reply@localhost>";
        mailer.development = development;
        return mailer;
    }

    @Test
    void aDeveloperFindsTheLinkInTheLog() throws IOException {
        Mailer mailer = withoutSmtp(true, null);
        mailer.check();

        mailer.send(RESET);

        assertThat(logged).last().asString().contains("SECRET-TOKEN").contains("ann@example.com");
    }

    @Test
    void outsideDevelopmentWithNoWayToSendEmailTheApplicationDoesNotStart() {
        assertThatThrownBy(() -> withoutSmtp(false, null).check()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("flowline.mail.smtp.host").hasMessageContaining("flowline.mail.outbox-dir")
                .hasMessageContaining("flowline.development=true");
    }

    @Test
    void theOutboxGetsOneWholeMessageFileEachReadableByItsOwnerOnly(@TempDir Path folder) throws IOException {
        Path outbox = folder.resolve("outbox");
        Mailer mailer = withoutSmtp(false, outbox);
        mailer.check();

        mailer.send(RESET);
        mailer.send(new OutgoingMail("bob@example.com", "Verify your email", "token OTHER"));

        List<Path> files;
        try (Stream<Path> listed = Files.list(outbox)) {
            files = listed.sorted().toList();
        }
        assertThat(files).hasSize(2).allSatisfy(file -> {
            assertThat(file.getFileName().toString()).endsWith(".eml").doesNotStartWith(".");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        });
        String messages = Files.readString(files.get(0), StandardCharsets.UTF_8)
                + Files.readString(files.get(1), StandardCharsets.UTF_8);
        assertThat(messages).contains("To: ann@example.com", "Subject: Reset your Flowline password", "SECRET-TOKEN",
                "To: bob@example.com", "From: Flowline <no-reply@localhost>");
        assertThat(logged).noneMatch(line -> line.contains("SECRET-TOKEN"));
    }
}
