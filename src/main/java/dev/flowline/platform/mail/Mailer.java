package dev.flowline.platform.mail;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends {@link OutgoingMail} through Jakarta Mail after the transaction that produced it commits, on a managed
 * thread so a slow SMTP server never holds a request. Without {@code flowline.mail.smtp.host} (a developer
 * machine) the message, link included, is written to the log instead, unless {@code flowline.production=true}:
 * then only that it was not sent. A failed delivery is logged with the
 * recipient (never the body, which holds a token); the user can ask again (resend, new reset).
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
    @ConfigProperty(name = "flowline.production", defaultValue = "false")
    boolean production;

    @Resource
    ManagedExecutorService executor;

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutgoingMail mail) {
        executor.execute(() -> send(mail));
    }

    /** Sends now, on the caller's thread. */
    public void send(OutgoingMail mail) {
        if (host.filter(h -> !h.isBlank()).isEmpty()) {
            if (production) {
                // The body holds a single-use token: in production it never goes to the log.
                LOG.warning(() -> "No SMTP server configured (flowline.mail.smtp.host): email '" + mail.subject()
                        + "' to " + mail.to() + " was not sent");
                return;
            }
            LOG.info(() -> "No SMTP server configured (flowline.mail.smtp.host); this email was not sent:\n"
                    + "To: " + mail.to() + "\nSubject: " + mail.subject() + "\n\n" + mail.body());
            return;
        }
        try {
            MimeMessage message = new MimeMessage(session());
            message.setFrom(new InternetAddress(from));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to()));
            message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            message.setText(mail.body(), StandardCharsets.UTF_8.name());
            Transport.send(message);
        } catch (MessagingException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not send email '" + mail.subject() + "' to " + mail.to() + ": " + e);
        }
    }

    private Session session() {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", host.orElseThrow());
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
