package dev.flowline.connections;

import dev.flowline.platform.crypto.EncryptionKeys;
import dev.flowline.platform.crypto.SecretBox;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenCipherTest {

    private static final String KEY_1 = EncryptionKeys.generateEntry("k1");
    private static final String KEY_2 = EncryptionKeys.generateEntry("k2");

    private final UUID id = UUID.randomUUID();
    private final UUID owner = UUID.randomUUID();

    static TokenCipher cipher(String keys) {
        TokenCipher cipher = new TokenCipher();
        cipher.box = new SecretBox(EncryptionKeys.parse(keys));
        return cipher;
    }

    private StoredToken row(UUID rowId, UUID rowOwner, String provider, String access, String refresh) {
        return new StoredToken(rowId, rowOwner, provider, null, access, refresh, Instant.EPOCH, false);
    }

    @Test
    void valuesRoundTripAndNeverShowThePlaintext() {
        TokenCipher cipher = cipher(KEY_1);
        String access = cipher.sealAccess(id, owner, "google", "ya29.access-token");
        String refresh = cipher.sealRefresh(id, owner, "google", "1//refresh-token");
        assertThat(access).startsWith("v1:k1:").doesNotContain("ya29").doesNotContain("access-token");
        assertThat(cipher.sealAccess(id, owner, "google", "ya29.access-token")).as("a fresh nonce each time")
                .isNotEqualTo(access);
        StoredToken stored = row(id, owner, "google", access, refresh);
        assertThat(cipher.openAccess(stored)).isEqualTo("ya29.access-token");
        assertThat(cipher.openRefresh(stored)).isEqualTo("1//refresh-token");
        assertThat(cipher.sealRefresh(id, owner, "google", null)).isNull();
    }

    @Test
    void aValueMovedToAnotherRowOwnerProviderOrColumnDoesNotDecrypt() {
        TokenCipher cipher = cipher(KEY_1);
        String access = cipher.sealAccess(id, owner, "google", "secret");
        String refresh = cipher.sealRefresh(id, owner, "google", "other secret");
        assertThatThrownBy(() -> cipher.openAccess(row(UUID.randomUUID(), owner, "google", access, null)))
                .isInstanceOf(SecretBox.DecryptionFailedException.class);
        assertThatThrownBy(() -> cipher.openAccess(row(id, UUID.randomUUID(), "google", access, null)))
                .isInstanceOf(SecretBox.DecryptionFailedException.class);
        assertThatThrownBy(() -> cipher.openAccess(row(id, owner, "slack", access, null)))
                .isInstanceOf(SecretBox.DecryptionFailedException.class);
        assertThatThrownBy(() -> cipher.openAccess(row(id, owner, "google", refresh, null)))
                .as("the refresh value in the access column").isInstanceOf(SecretBox.DecryptionFailedException.class);
    }

    @Test
    void aTamperedValueDoesNotDecrypt() {
        TokenCipher cipher = cipher(KEY_1);
        String access = cipher.sealAccess(id, owner, "google", "ya29-value");
        int middle = access.length() - 20; // inside the ciphertext, away from the unused bits of the last character
        String tampered = access.substring(0, middle) + (access.charAt(middle) == 'A' ? 'B' : 'A')
                + access.substring(middle + 1);
        assertThatThrownBy(() -> cipher.openAccess(row(id, owner, "google", tampered, null)))
                .isInstanceOf(SecretBox.DecryptionFailedException.class)
                .hasMessageNotContaining("ya29");
    }

    @Test
    void aNewPrimaryKeyEncryptsWhileTheOldOneStillDecryptsUntilReencrypted() {
        StoredToken old = row(id, owner, "google", cipher(KEY_1).sealAccess(id, owner, "google", "secret"),
                cipher(KEY_1).sealRefresh(id, owner, "google", "refresh"));
        TokenCipher rotated = cipher(KEY_2 + "," + KEY_1);
        assertThat(rotated.openAccess(old)).isEqualTo("secret");
        assertThat(rotated.isCurrent(old)).isFalse();
        assertThat(rotated.sealAccess(id, owner, "google", "secret")).startsWith("v1:k2:");
        assertThatThrownBy(() -> cipher(KEY_2).openAccess(old)).as("once k1 is dropped")
                .isInstanceOf(SecretBox.DecryptionFailedException.class).hasMessageContaining("k1");
    }
}
