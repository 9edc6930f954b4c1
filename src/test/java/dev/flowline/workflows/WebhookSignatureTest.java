package dev.flowline.workflows;

import dev.flowline.workflows.WebhookSignature.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {

    private static final String SECRET = "whsec_test-secret";
    private static final long TIMESTAMP = 1_700_000_000L;
    private static final String TS = "1700000000";
    private static final byte[] BODY = "{\"event\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
    // printf '%s' '1700000000.{"event":"ping","id":1}' | openssl dgst -sha256 -hmac 'whsec_test-secret'
    private static final String KNOWN_SIGNATURE = "sha256=2055b047b036962c8050185829fe05171cbc7044b8e8d6c2bf36d9dd591bba6c";
    private static final Instant NOW = Instant.ofEpochSecond(TIMESTAMP);
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static Verdict verify(String timestamp, String signature, byte[] body, Instant now) {
        return WebhookSignature.verify(SECRET, timestamp, signature, body, now, TOLERANCE);
    }

    @Test
    void signMatchesAVectorComputedWithOpenssl() {
        assertThat(WebhookSignature.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(KNOWN_SIGNATURE);
    }

    @Test
    void signCoversTheBodyBytesExactlyEvenWhenNotUtf8() {
        // printf '1700000000.caf\xc3\xa9\xff\x00\n' | openssl dgst -sha256 -hmac 'whsec_test-secret'
        byte[] body = {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 0x00, '\n'};

        assertThat(WebhookSignature.sign(SECRET, TIMESTAMP, body))
                .isEqualTo("sha256=f631295e4bc3461a0c68e4581de367b50899965b3b6e8bde2c258e1751571af3");
        assertThat(verify(TS, WebhookSignature.sign(SECRET, TIMESTAMP, body), body, NOW)).isEqualTo(Verdict.VALID);
    }

    @Test
    void aKnownGoodRequestIsValid() {
        assertThat(verify(TS, KNOWN_SIGNATURE, BODY, NOW)).isEqualTo(Verdict.VALID);
        assertThat(verify(" " + TS + " ", " " + KNOWN_SIGNATURE + " ", BODY, NOW)).isEqualTo(Verdict.VALID);
        assertThat(verify(TS, KNOWN_SIGNATURE.toUpperCase().replace("SHA256=", "sha256="), BODY, NOW))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void missingSignature() {
        assertThat(verify(TS, null, BODY, NOW)).isEqualTo(Verdict.MISSING_SIGNATURE);
        assertThat(verify(TS, "  ", BODY, NOW)).isEqualTo(Verdict.MISSING_SIGNATURE);
    }

    @Test
    void malformedSignature() {
        String hex = KNOWN_SIGNATURE.substring("sha256=".length());
        for (String header : new String[]{hex, "sha1=" + hex, "sha256=" + hex.substring(1), "sha256=" + hex + "0",
                "sha256=" + hex.replace('a', 'g'), "sha256=", KNOWN_SIGNATURE + ",", KNOWN_SIGNATURE + ",v2=abc",
                "SHA256=" + hex, "sha256 = " + hex}) {
            assertThat(verify(TS, header, BODY, NOW)).as(header).isEqualTo(Verdict.MALFORMED_SIGNATURE);
        }
    }

    @Test
    void missingTimestamp() {
        assertThat(verify(null, KNOWN_SIGNATURE, BODY, NOW)).isEqualTo(Verdict.MISSING_TIMESTAMP);
        assertThat(verify("", KNOWN_SIGNATURE, BODY, NOW)).isEqualTo(Verdict.MISSING_TIMESTAMP);
    }

    @Test
    void malformedTimestamp() {
        for (String header : new String[]{"-1700000000", "+1700000000", "1700000000.5", "1.7e9", "abc",
                "2023-11-14T22:13:20Z", "1234567890123456789"}) {
            assertThat(verify(header, KNOWN_SIGNATURE, BODY, NOW)).as(header).isEqualTo(Verdict.MALFORMED_TIMESTAMP);
        }
    }

    @Test
    void toleranceBoundariesInBothDirections() {
        // Exactly at the tolerance is accepted; one nanosecond (or one second) beyond is stale.
        assertThat(verify(TS, KNOWN_SIGNATURE, BODY, NOW.plus(TOLERANCE))).isEqualTo(Verdict.VALID);
        assertThat(verify(TS, KNOWN_SIGNATURE, BODY, NOW.plus(TOLERANCE).plusNanos(1))).isEqualTo(Verdict.STALE_TIMESTAMP);
        assertThat(verify(TS, KNOWN_SIGNATURE, BODY, NOW.plus(TOLERANCE).plusSeconds(1))).isEqualTo(Verdict.STALE_TIMESTAMP);
        // The sender's clock ahead of ours.
        assertThat(verify(TS, KNOWN_SIGNATURE, BODY, NOW.minus(TOLERANCE))).isEqualTo(Verdict.VALID);
        assertThat(verify(TS, KNOWN_SIGNATURE, BODY, NOW.minus(TOLERANCE).minusNanos(1))).isEqualTo(Verdict.STALE_TIMESTAMP);
        assertThat(verify(TS, KNOWN_SIGNATURE, BODY, NOW.minus(TOLERANCE).minusSeconds(1))).isEqualTo(Verdict.STALE_TIMESTAMP);
        // A millisecond timestamp by mistake is far in the future.
        assertThat(verify(TS + "000", KNOWN_SIGNATURE, BODY, NOW)).isEqualTo(Verdict.STALE_TIMESTAMP);
        assertThat(WebhookSignature.verify(SECRET, TS, KNOWN_SIGNATURE, BODY, NOW, Duration.ZERO)).isEqualTo(Verdict.VALID);
    }

    @Test
    void staleIsReportedEvenWithAValidSignature() {
        long old = TIMESTAMP - 3600;
        String signature = WebhookSignature.sign(SECRET, old, BODY);

        assertThat(verify(Long.toString(old), signature, BODY, NOW)).isEqualTo(Verdict.STALE_TIMESTAMP);
    }

    @Test
    void mismatch() {
        assertThat(WebhookSignature.verify("whsec_other", TS, KNOWN_SIGNATURE, BODY, NOW, TOLERANCE))
                .isEqualTo(Verdict.MISMATCH);
        // The timestamp is signed: moving it forward to dodge the tolerance breaks the signature.
        assertThat(verify("1700000001", KNOWN_SIGNATURE, BODY, NOW)).isEqualTo(Verdict.MISMATCH);
        assertThat(verify("01700000000", KNOWN_SIGNATURE, BODY, NOW)).isEqualTo(Verdict.MISMATCH);
        assertThat(verify(TS, "sha256=" + "0".repeat(64), BODY, NOW)).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void aReserialisedBodyFails() {
        byte[] reformatted = "{\"event\": \"ping\", \"id\": 1}".getBytes(StandardCharsets.UTF_8);
        byte[] reordered = "{\"id\":1,\"event\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        byte[] trailingNewline = "{\"event\":\"ping\",\"id\":1}\n".getBytes(StandardCharsets.UTF_8);

        assertThat(verify(TS, KNOWN_SIGNATURE, reformatted, NOW)).isEqualTo(Verdict.MISMATCH);
        assertThat(verify(TS, KNOWN_SIGNATURE, reordered, NOW)).isEqualTo(Verdict.MISMATCH);
        assertThat(verify(TS, KNOWN_SIGNATURE, trailingNewline, NOW)).isEqualTo(Verdict.MISMATCH);
        assertThat(verify(TS, KNOWN_SIGNATURE, new byte[0], NOW)).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void anyOfSeveralSignaturesMayMatchDuringRotation() {
        String oldSecretSignature = WebhookSignature.sign("whsec_old", TIMESTAMP, BODY);
        String wrong = "sha256=" + "ab".repeat(32);

        assertThat(verify(TS, oldSecretSignature + "," + KNOWN_SIGNATURE, BODY, NOW)).isEqualTo(Verdict.VALID);
        assertThat(verify(TS, KNOWN_SIGNATURE + ", " + oldSecretSignature, BODY, NOW)).isEqualTo(Verdict.VALID);
        assertThat(verify(TS, wrong + "," + oldSecretSignature, BODY, NOW)).isEqualTo(Verdict.MISMATCH);
    }

    @Test
    void signAndVerifyAgreeOnFreshSecrets() {
        String secret = WebhookSignature.newSecret();
        Instant now = Instant.parse("2030-01-01T00:00:00.250Z");
        String signature = WebhookSignature.sign(secret, now.getEpochSecond(), BODY);

        assertThat(WebhookSignature.verify(secret, Long.toString(now.getEpochSecond()), signature, BODY, now, TOLERANCE))
                .isEqualTo(Verdict.VALID);
    }

    @Test
    void newSecretsArePrefixedRandomBase64url() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = WebhookSignature.newSecret();
            assertThat(secret).matches("whsec_[A-Za-z0-9_-]{43}");
            secrets.add(secret);
        }
        assertThat(secrets).hasSize(1000);
    }

    @Test
    void refusesAnEmptySecretANegativeTimestampOrNegativeTolerance() {
        assertThatThrownBy(() -> WebhookSignature.sign("", TIMESTAMP, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSignature.sign(SECRET, -1, BODY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSignature.verify(null, TS, KNOWN_SIGNATURE, BODY, NOW, TOLERANCE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSignature.verify(SECRET, TS, KNOWN_SIGNATURE, BODY, NOW, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRequestIsIdentifiedByTheSha256OfWhatItsSignatureCovers() {
        byte[] body = "{\"name\":\"Bob\"}".getBytes(StandardCharsets.UTF_8);

        // sha256("1700000000.{\"name\":\"Bob\"}"), computed outside Java
        assertThat(WebhookSignature.requestHash("1700000000", body))
                .isEqualTo("b8d2481bbf3af3d6d5573b3d008a3ee4302752bcabc12ef3c5f43ab149576d8f");
        assertThat(WebhookSignature.requestHash("1700000001", body)).as("another timestamp")
                .isNotEqualTo(WebhookSignature.requestHash("1700000000", body));
        assertThat(WebhookSignature.requestHash("1700000000", "{}".getBytes(StandardCharsets.UTF_8)))
                .as("another body").isNotEqualTo(WebhookSignature.requestHash("1700000000", body));
    }
}
