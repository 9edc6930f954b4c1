package dev.flowline.platform.mail;

import dev.flowline.platform.config.Development;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends {@link OutgoingMail} through Jakarta Mail after the transaction that produced it commits, on a managed
 * thread so a slow SMTP server never holds a request: to {@code flowline.mail.smtp.host}, or else as a file in
 * {@code flowline.mail.outbox-dir} (an RFC 5322 {@code .eml} message each, for another program to send), or else, on
 * a developer machine only ({@code flowline.development=true}), to the log, link included. Without any of them the
 * application refuses to start: emails carry single-use tokens, and a server that can neither send them nor keep
 * them out of its log is misconfigured. A failed delivery is logged with the recipient (never the body, which holds
 * a token); the user can ask again (resend, new reset).
 */
@ApplicationScoped
public class Mailer {

    private static final Logger LOG = Logger.getLogger(Mailer.class.getName());

    @Inject
    @ConfigProperty(name = "flowline.mail.smtp.host")
    Optional<String> host;

    @Inject
    @ConfigProperty(name = "flowline.mail.smtp.port", defaultValue = "587")
    int port;

    @Inject
    @ConfigProperty(name = "flowline.mail.smtp.user")
    Optional<String> user;

    @Inject
    @ConfigProperty(name = "flowline.mail.smtp.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "flowline.mail.smtp.starttls", defaultValue = "false")
    boolean startTls;

    @Inject
    @ConfigProperty(name = "flowline.mail.from", defaultValue = "Flowline <no-reply@localhost>")
    String from;

    @Inject
    @ConfigProperty(name = "flowline.mail.outbox-dir")
    Optional<String> outboxDir;

    @Inject
    Config config;

    boolean development;

    @Resource
    ManagedExecutorService executor;

    /** Fails the deployment when there is no way to send email (outside development). */
    void checkAtStartup(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) throws IOException {
        development = Development.enabled(config);
        check();
    }

    /** Throws unless email can be sent, written to the outbox, or (in development) logged. */
    void check() throws IOException {
        if (smtpHost().isPresent()) {
            return;
        }
        if (outbox().isPresent()) {
            Files.createDirectories(outbox().get());
            if (!Files.isWritable(outbox().get())) {
                throw new IllegalStateException("flowline.mail.outbox-dir " + outbox().get() + " is not writable");
            }
            LOG.info(() -> "Emails are written to " + outbox().get() + " for another program to send");
            return;
        }
        if (!development) {
            throw new IllegalStateException("No way to send email: set flowline.mail.smtp.host, or"
                    + " flowline.mail.outbox-dir (a folder the messages are written to for another program to send);"
                    + " only a developer machine may have them logged instead, with flowline.development=true");
        }
        LOG.warning("No SMTP server (flowline.mail.smtp.host): emails, their links included, go to the log"
                + " (flowline.development=true)");
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutgoingMail mail) {
        executor.execute(() -> send(mail));
    }

    /** Sends now, on the caller's thread. */
    public void send(OutgoingMail mail) {
        try {
            if (smtpHost().isPresent()) {
                Transport.send(message(mail, session()));
            } else if (outbox().isPresent()) {
                write(message(mail, Session.getInstance(new Properties())), outbox().get());
            } else if (development) {
                LOG.info(() -> "No SMTP server configured (flowline.mail.smtp.host); this email was not sent:\n"
                        + "To: " + mail.to() + "\nSubject: " + mail.subject() + "\n\n" + mail.body());
            } else {
                // not reached: the application does not start like this; the body holds a token, never logged
                LOG.warning(() -> "No way to send email: '" + mail.subject() + "' to " + mail.to() + " was not sent");
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not send email '" + mail.subject() + "' to " + mail.to() + ": " + e);
        }
    }

    private MimeMessage message(OutgoingMail mail, Session session) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to()));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setText(mail.body(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        return message;
    }

    /**
     * Writes the message to a hidden temporary file readable by its owner only (it holds a token), then renames it
     * to {@code <millis>-<uuid>.eml}: a program that watches the folder never sees half a message.
     */
    private static void write(MimeMessage message, Path folder) throws IOException, MessagingException {
        Path partial = Files.createTempFile(folder, ".", ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(partial)) {
            message.writeTo(out);
        }
        Files.move(partial, folder.resolve(System.currentTimeMillis() + "-" + UUID.randomUUID() + ".eml"),
                StandardCopyOption.ATOMIC_MOVE);
    }

    private Optional<String> smtpHost() {
        return host.filter(h -> !h.isBlank());
    }

    private Optional<Path> outbox() {
        return outboxDir.filter(d -> !d.isBlank()).map(Path::of);
    }

    private Session session() {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", smtpHost().orElseThrow());
        properties.put("mail.smtp.port", String.valueOf(port));
        properties.put("mail.smtp.connectiontimeout", "10000");
        properties.put("mail.smtp.timeout", "10000");
        properties.put("mail.smtp.writetimeout", "10000");
        properties.put("mail.smtp.starttls.enable", String.valueOf(startTls));
        properties.put("mail.smtp.starttls.required", String.valueOf(startTls));
        if (user.isPresent()) {
            properties.put("mail.smtp.auth", "true");
            return Session.getInstance(properties, new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user.get(), password.orElse(""));
                }
            });
        }
        return Session.getInstance(properties);
    }
}
