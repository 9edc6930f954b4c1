package dev.flowline.platform.crypto;

import dev.flowline.platform.crypto.SecretBox.DecryptionFailedException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    private static final String KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String KEY_B = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
    private static final String ROW = "workflow-webhook:123e4567-e89b-12d3-a456-426614174000";
    private static final String OTHER_ROW = "workflow-webhook:00000000-0000-0000-0000-000000000001";
    private static final String SECRET = "whsec_example-secret-é";

    private final SecretBox box = new SecretBox(EncryptionKeys.parse("k1:" + KEY_A));

    @Test
    void roundTrip() {
        for (String plaintext : new String[]{SECRET, "", "ünïcødé 🔑", "x".repeat(10_000)}) {
            assertThat(box.decrypt(box.encrypt(plaintext, ROW), ROW)).isEqualTo(plaintext);
        }
    }

    @Test
    void storedFormatIsVersionKeyIdAndBase64urlOfIvCiphertextTag() {
        String stored = box.encrypt(SECRET, ROW);

        assertThat(stored).matches("v1:k1:[A-Za-z0-9_-]+").doesNotContain(SECRET);
        byte[] payload = Base64.getUrlDecoder().decode(stored.substring("v1:k1:".length()));
        assertThat(payload).hasSize(12 + SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
    }

    @Test
    void decryptsAValueMadeElsewhere() {
        // Pins the format: made with Python's cryptography AESGCM(key 0x00..0x1f), IV 0x64..0x6f, AAD = ROW.
        String stored = "v1:k1:ZGVmZ2hpamtsbW5vP3OtAxq2M-ZfDy-Ev0gZmCGwY36mr1pnUTIms-S7KzP6WMStzUGn";

        assertThat(box.decrypt(stored, ROW)).isEqualTo(SECRET);
    }

    @Test
    void ivsDifferPerEncryption() {
        Set<String> ivs = new HashSet<>();
        Set<String> stored = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String value = box.encrypt(SECRET, ROW);
            stored.add(value);
            byte[] payload = Base64.getUrlDecoder().decode(value.substring("v1:k1:".length()));
            ivs.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(payload, 12)));
        }
        assertThat(ivs).hasSize(200);
        assertThat(stored).hasSize(200);
    }

    @Test
    void aCiphertextCopiedToAnotherRowFails() {
        String stored = box.encrypt(SECRET, ROW);

        assertThatThrownBy(() -> box.decrypt(stored, OTHER_ROW))
                .isInstanceOf(DecryptionFailedException.class)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("authentication failed")
                .hasNoCause();
    }

    @Test
    void anyTamperedByteFails() {
        String stored = box.encrypt(SECRET, ROW);
        byte[] payload = Base64.getUrlDecoder().decode(stored.substring("v1:k1:".length()));
        for (int i = 0; i < payload.length; i++) { // IV, ciphertext and tag alike
            byte[] tampered = payload.clone();
            tampered[i] ^= 0x01;
            String value = "v1:k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> box.decrypt(value, ROW)).isInstanceOf(DecryptionFailedException.class);
        }
        byte[] truncated = java.util.Arrays.copyOf(payload, payload.length - 1);
        String value = "v1:k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(truncated);
        assertThatThrownBy(() -> box.decrypt(value, ROW)).isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void rotationKeepsOldValuesReadable() {
        String underOldKey = box.encrypt(SECRET, ROW);
        SecretBox rotated = new SecretBox(EncryptionKeys.parse("k2:" + KEY_B + ",k1:" + KEY_A));

        assertThat(rotated.decrypt(underOldKey, ROW)).isEqualTo(SECRET);
        String underNewKey = rotated.encrypt(SECRET, ROW);
        assertThat(underNewKey).startsWith("v1:k2:");
        assertThat(rotated.decrypt(underNewKey, ROW)).isEqualTo(SECRET);
    }

    @Test
    void anUnknownKeyIdFailsClearly() {
        String underNewKey = new SecretBox(EncryptionKeys.parse("k2:" + KEY_B)).encrypt(SECRET, ROW);

        assertThatThrownBy(() -> box.decrypt(underNewKey, ROW))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("unknown encryption key id 'k2'")
                .hasMessageContaining("flowline.encryption-keys");
    }

    @Test
    void aKeyIdNowBoundToOtherKeyMaterialFails() {
        String stored = box.encrypt(SECRET, ROW);
        SecretBox replaced = new SecretBox(EncryptionKeys.parse("k1:" + KEY_B));

        assertThatThrownBy(() -> replaced.decrypt(stored, ROW))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("key id 'k1'");
    }

    @Test
    void malformedValuesFailWithoutEchoingThem() {
        String[] malformed = {"", "plain secret", "v2:k1:AAAA", "v1:k1", "v1::AAAA", "v1:bad id:AAAA",
                "v1:k1:not*base64", "v1:k1:AAAA", "v1:whsec_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV4:AAAA"};
        for (String value : malformed) {
            assertThatThrownBy(() -> box.decrypt(value, ROW))
                    .isInstanceOf(DecryptionFailedException.class)
                    .hasMessageStartingWith("Cannot decrypt secret")
                    .message().doesNotContain("plain secret").doesNotContain("whsec_").doesNotContain(KEY_A);
        }
    }

    @Test
    void messagesNeverContainThePlaintextOrKey() {
        String stored = box.encrypt(SECRET, ROW);

        assertThatThrownBy(() -> box.decrypt(stored, OTHER_ROW))
                .message().doesNotContain(SECRET).doesNotContain(KEY_A).doesNotContain(stored.substring(6));
    }

    @Test
    void associatedDataIsRequired() {
        assertThatThrownBy(() -> box.encrypt(SECRET, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.encrypt(SECRET, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.decrypt(box.encrypt(SECRET, ROW), "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDevelopmentKeyReadsWhatItWroteAfterARestart() {
        String url = "jdbc:postgresql://localhost:5433/flowline";
        String stored = new SecretBox(EncryptionKeys.forDevelopment(url)).encrypt(SECRET, ROW);

        assertThat(stored).startsWith("v1:dev:");
        assertThat(new SecretBox(EncryptionKeys.forDevelopment(url)).decrypt(stored, ROW)).isEqualTo(SECRET);
        assertThatThrownBy(() -> new SecretBox(EncryptionKeys.forDevelopment("jdbc:postgresql://elsewhere/flowline"))
                .decrypt(stored, ROW))
                .hasMessageContaining("development key follows flowline.db.url");
    }
}
