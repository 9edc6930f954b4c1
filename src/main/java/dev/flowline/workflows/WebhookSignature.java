package dev.flowline.workflows;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Signatures of incoming webhook requests (a public API: senders implement it, so it never changes silently).
 *
 * <pre>
 * X-Flowline-Timestamp: &lt;Unix seconds&gt;
 * X-Flowline-Signature: sha256=&lt;lowercase hex HMAC-SHA256(secret, timestamp + "." + raw body)&gt;
 * </pre>
 * The HMAC key is the UTF-8 bytes of the whole secret as shown to the user ({@code whsec_...}); the message is the
 * timestamp header's ASCII digits, a dot, then the request body's bytes exactly as received. The timestamp is
 * signed so that a captured request cannot be replayed outside the tolerance window. During a secret rotation a
 * sender may send several comma-separated {@code sha256=} values; one match is enough.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-Flowline-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Flowline-Signature";
    public static final String SECRET_PREFIX = "whsec_";

    private static final String SCHEME = "sha256=";
    private static final String HMAC = "HmacSHA256";
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    // 18 digits fit in a long with room to subtract; a millisecond timestamp (13 digits) is well-formed but stale.
    private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,18}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The outcome of {@link #verify}; everything but VALID means the request is refused. */
    public enum Verdict {
        VALID, MISSING_SIGNATURE, MALFORMED_SIGNATURE, MISSING_TIMESTAMP, MALFORMED_TIMESTAMP, STALE_TIMESTAMP, MISMATCH
    }

    private WebhookSignature() {
    }

    /** A new secret to show the user once: {@code whsec_} and 32 random bytes in base64url without padding. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@value #SIGNATURE_HEADER} value for a request sent at {@code timestamp} (Unix seconds). */
    public static String sign(String secret, long timestamp, byte[] body) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be Unix seconds"); // verify refuses a sign
        }
        return SCHEME + HexFormat.of().formatHex(hmac(secret, Long.toString(timestamp), body));
    }

    /**
     * What identifies one signed request, whatever its unsigned headers say: the SHA-256 (hex) of exactly what the
     * signature covers, {@code timestamp + "." + body}. A replay of the request has the same; so do two requests
     * with the same timestamp header and byte-identical bodies, which are therefore one delivery.
     */
    public static String requestHash(String timestampHeader, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(timestampHeader.getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) '.');
            return HexFormat.of().formatHex(sha256.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /**
     * Checks a request's headers against its raw body. Checks run in the order of {@link Verdict}; the timestamp
     * is valid when {@code |now - timestamp| <= tolerance}, in the past or the future (clock skew).
     */
    public static Verdict verify(String secret, String timestampHeader, String signatureHeader, byte[] body,
                                 Instant now, Duration tolerance) {
        requireSecret(secret);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(now, "now");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return Verdict.MISSING_SIGNATURE;
        }
        List<byte[]> candidates = parseSignatures(signatureHeader);
        if (candidates == null) {
            return Verdict.MALFORMED_SIGNATURE;
        }
        if (timestampHeader == null || timestampHeader.isBlank()) {
            return Verdict.MISSING_TIMESTAMP;
        }
        String timestamp = timestampHeader.trim();
        if (!UNIX_SECONDS.matcher(timestamp).matches()) {
            return Verdict.MALFORMED_TIMESTAMP;
        }
        Duration skew = Duration.ofSeconds(now.getEpochSecond() - Long.parseLong(timestamp), now.getNano()).abs();
        if (skew.compareTo(tolerance) > 0) {
            return Verdict.STALE_TIMESTAMP;
        }
        // Sign the header's digits as received ("0170" stays "0170"), as the sender did.
        byte[] expected = hmac(secret, timestamp, body);
        boolean matched = false;
        for (byte[] candidate : candidates) {
            matched |= MessageDigest.isEqual(expected, candidate); // constant time, and no early exit
        }
        return matched ? Verdict.VALID : Verdict.MISMATCH;
    }

    /** The decoded {@code sha256=} values, or null if any comma-separated entry is not one. */
    private static List<byte[]> parseSignatures(String header) {
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : header.split(",", -1)) {
            String value = entry.trim();
            if (!value.startsWith(SCHEME) || !HEX_SHA256.matcher(value.substring(SCHEME.length())).matches()) {
                return null;
            }
            signatures.add(HexFormat.of().parseHex(value.substring(SCHEME.length())));
        }
        return signatures;
    }

    private static void requireSecret(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
    }

    private static byte[] hmac(String secret, String timestamp, byte[] body) {
        requireSecret(secret);
        Objects.requireNonNull(body, "body");
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
