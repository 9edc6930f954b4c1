/**
 * Outgoing email: areas fire an {@link dev.flowline.platform.mail.OutgoingMail} event, sent after the transaction
 * commits on a managed thread (or logged when no SMTP host is configured), and public links built from configuration.
 */
package dev.flowline.platform.mail;
