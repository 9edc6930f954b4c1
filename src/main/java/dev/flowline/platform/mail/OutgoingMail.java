package dev.flowline.platform.mail;

/**
 * A plain-text email to send once the current transaction commits. Fire it as a CDI event; {@link Mailer} sends
 * it, so a rolled-back signup never mails a link to a row that does not exist.
 */
public record OutgoingMail(String to, String subject, String body) {
}
