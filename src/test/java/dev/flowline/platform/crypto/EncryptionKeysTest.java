package dev.flowline.platform.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptionKeysTest {

    // 32 bytes 0x00..0x1f and 32 bytes 0x20..0x3f
    private static final String KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String KEY_B = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    @Test
    void firstEntryIsThePrimaryAndAllDecrypt() {
        EncryptionKeys keys = EncryptionKeys.parse(" k2:" + KEY_B + " , k1:" + KEY_A + " ");

        assertThat(keys.primaryId()).isEqualTo("k2");
        assertThat(keys.keyIds()).containsExactly("k2", "k1");
        assertThat(keys.primaryKey().getEncoded()).isEqualTo(Base64.getDecoder().decode(KEY_B));
        assertThat(keys.key("k1")).get().extracting(k -> k.getEncoded()).isEqualTo(Base64.getDecoder().decode(KEY_A));
        assertThat(keys.key("k3")).isEmpty();
    }

    @Test
    void acceptsUrlSafeAndUnpaddedBase64() {
        byte[] key = new byte[32];
        key[0] = (byte) 0xfb; // encodes to '+' / '-' in the first character
        key[1] = (byte) 0xff;
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key);

        assertThat(EncryptionKeys.parse("k:" + urlSafe).primaryKey().getEncoded()).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                 // nothing
            "   ",
            KEY_A,                              // key pasted without an id
            ":" + KEY_A,                        // empty id
            "bad id:" + KEY_A,                  // space in id
            "k.1:" + KEY_A,
            "k123456789012345678901234567890123:" + KEY_A, // 34 characters
            "k1:" + KEY_A + ",",                // trailing empty entry
            "k1:" + KEY_A + ",,k2:" + KEY_B,
            "k1:" + KEY_A + ",k1:" + KEY_B,     // duplicate id
            "k1:AAECAwQFBgcICQoLDA0ODw==",      // 16 bytes
            "k1:" + KEY_A + "AAAA",             // 35 bytes
            "k1:AAECAwQF!gcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", // not base64
            "k1:",                              // no key
    })
    void invalidConfigurationFailsNamingTheKeyButNotTheKeyMaterial(String value) {
        assertThatThrownBy(() -> EncryptionKeys.parse(value))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Invalid flowline.encryption-keys (FLOWLINE_ENCRYPTION_KEYS): ")
                .hasNoCause()
                .message()
                .doesNotContain(KEY_A).doesNotContain(KEY_A.substring(0, 12))
                .doesNotContain(KEY_B).doesNotContain(KEY_B.substring(0, 12))
                .doesNotContain("AAECAwQF");
    }

    @Test
    void messagesSayWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> EncryptionKeys.parse("k2:" + KEY_B + ",k1:AAECAwQFBgcICQoLDA0ODw=="))
                .hasMessageContaining("entry 2 (key id 'k1') must decode to 32 bytes, not 16");
        assertThatThrownBy(() -> EncryptionKeys.parse(KEY_A))
                .hasMessageContaining("entry 1 is not keyId:base64(32 bytes)");
        assertThatThrownBy(() -> EncryptionKeys.parse("k1:" + KEY_A + ",k1:" + KEY_B))
                .hasMessageContaining("key id 'k1' appears twice");
    }

    @Test
    void generatedEntriesParseAndDiffer() {
        String first = EncryptionKeys.generateEntry("k20250101");
        String second = EncryptionKeys.generateEntry("k20250101");

        assertThat(first).startsWith("k20250101:").isNotEqualTo(second);
        EncryptionKeys keys = EncryptionKeys.parse(first);
        assertThat(keys.primaryId()).isEqualTo("k20250101");
        assertThat(keys.primaryKey().getEncoded()).hasSize(32);
        assertThatThrownBy(() -> EncryptionKeys.generateEntry("no spaces")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsKeyIdsOnly() {
        EncryptionKeys keys = EncryptionKeys.parse("k2:" + KEY_B + ",k1:" + KEY_A);

        assertThat(keys.toString()).isEqualTo("EncryptionKeys[primary=k2, ids=[k2, k1]]");
    }

    @Test
    void configuredKeysWinInProductionAndInDevelopment() {
        assertThat(EncryptionKeys.fromConfiguration(Optional.of("k1:" + KEY_A), false, "jdbc:x").primaryId())
                .isEqualTo("k1");
        assertThat(EncryptionKeys.fromConfiguration(Optional.of("k1:" + KEY_A), true, "jdbc:x").primaryId())
                .isEqualTo("k1");
    }

    @Test
    void outsideDevelopmentItRefusesToStartWithoutKeys() {
        for (Optional<String> missing : List.of(Optional.<String>empty(), Optional.of(""), Optional.of("  "))) {
            assertThatThrownBy(() -> EncryptionKeys.fromConfiguration(missing, false, "jdbc:x"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("flowline.encryption-keys (FLOWLINE_ENCRYPTION_KEYS) is required (only a developer"
                            + " machine may go without, with flowline.development=true)");
        }
    }

    @Test
    void invalidKeysFailEvenInDevelopment() {
        assertThatThrownBy(() -> EncryptionKeys.fromConfiguration(Optional.of("k1:short"), true, "jdbc:x"))
                .hasMessageStartingWith("Invalid flowline.encryption-keys");
    }

    @Test
    void developmentFallsBackToAKeyDerivedFromTheDatabaseUrl() {
        String url = "jdbc:postgresql://localhost:5432/flowline";
        EncryptionKeys keys = EncryptionKeys.fromConfiguration(Optional.empty(), true, url);

        assertThat(keys.primaryId()).isEqualTo("dev");
        assertThat(keys.isDevelopment()).isTrue();
        // Stable across restarts: the same URL gives the same key...
        assertThat(EncryptionKeys.forDevelopment(url).primaryKey().getEncoded()).isEqualTo(keys.primaryKey().getEncoded());
        // ...and another install gets another one.
        assertThat(EncryptionKeys.forDevelopment("jdbc:postgresql://localhost:5433/flowline").primaryKey().getEncoded())
                .isNotEqualTo(keys.primaryKey().getEncoded());
    }

    @Test
    void developmentKeyDerivationIsPinned() {
        // Changing the derivation would make every dev install's secrets unreadable. Computed independently with
        // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt key:'jdbc:postgresql://localhost:5432/flowline'
        //   -kdfopt salt:'flowline development encryption key v1' -kdfopt info:'aes-256-gcm' HKDF
        assertThat(HexFormat.of().formatHex(
                EncryptionKeys.forDevelopment("jdbc:postgresql://localhost:5432/flowline").primaryKey().getEncoded()))
                .isEqualTo("55d7108ea38c3555304dd33f3bd7f697914397d2a310122435e077d8a4789c1f");
    }
}
