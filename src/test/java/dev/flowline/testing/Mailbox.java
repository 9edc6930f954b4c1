package dev.flowline.testing;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the application sent to the test SMTP server (GreenMail, in the test JVM). */
public final class Mailbox {

    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]{43})");

    private Mailbox() {
    }

    /** Waits for the {@code n}-th message (1-based) to {@code recipient} whose subject contains {@code subject}. */
    public static MimeMessage await(String recipient, String subject, int n) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            List<MimeMessage> matching = messagesTo(recipient, subject);
            if (matching.size() >= n) {
                return matching.get(n - 1);
            }
            sleep();
        }
        throw new AssertionError("No message #" + n + " '" + subject + "' to " + recipient + " within 20 s");
    }

    public static List<MimeMessage> messagesTo(String recipient, String subject) {
        return Arrays.stream(TestServicesListener.greenMail().getReceivedMessagesForDomain(recipient))
                .filter(m -> subjectOf(m).contains(subject))
                .toList();
    }

    /** The token in the link of the {@code n}-th matching message. */
    public static String token(String recipient, String subject, int n) {
        String body = body(await(recipient, subject, n));
        Matcher matcher = TOKEN.matcher(body);
        if (!matcher.find()) {
            throw new AssertionError("No token link in: " + body);
        }
        return matcher.group(1);
    }

    public static String body(MimeMessage message) {
        try {
            return message.getContent().toString();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subjectOf(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
