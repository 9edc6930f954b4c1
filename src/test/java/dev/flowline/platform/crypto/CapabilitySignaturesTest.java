package dev.flowline.platform.crypto;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Derived capability signatures: the sub-key per purpose, rotation, refusals, and the constant-time comparison. */
class CapabilitySignaturesTest {

    private static final String LABEL = "flowline resume urls v1";
    private static final String MESSAGE = "resume:6f1c1c4e-6a55-4c4f-9d7e-1b2f3a4b5c6d:approval";
    private static final String OLD = EncryptionKeys.generateEntry("k1");
    private static final String NEW = EncryptionKeys.generateEntry("k2");

    @Test
    void theSignatureIsAnHmacUnderASubKeyDerivedForItsPurpose() throws Exception {
        EncryptionKeys keys = EncryptionKeys.parse(OLD);
        byte[] key = keys.primaryKey().getEncoded();

        String signature = new CapabilitySignatures(keys).sign(LABEL, MESSAGE);

        byte[] subKey = hmac(key, LABEL.getBytes(StandardCharsets.UTF_8));
        byte[] expected = hmac(subKey, MESSAGE.getBytes(StandardCharsets.UTF_8));
        assertThat(signature).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(expected))
                .hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(signature).as("never the encryption key itself over the message")
                .isNotEqualTo(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(hmac(key, MESSAGE.getBytes(StandardCharsets.UTF_8))));
        assertThat(new CapabilitySignatures(keys).sign("flowline other urls v1", MESSAGE)).isNotEqualTo(signature);
        assertThat(new CapabilitySignatures(keys).verify("flowline other urls v1", MESSAGE, signature)).isFalse();
    }

    @Test
    void aSignatureMadeWithAnOlderKeyStillVerifiesAfterARotation() {
        String before = new CapabilitySignatures(EncryptionKeys.parse(OLD)).sign(LABEL, MESSAGE);
        CapabilitySignatures rotated = new CapabilitySignatures(EncryptionKeys.parse(NEW + "," + OLD));

        assertThat(rotated.verify(LABEL, MESSAGE, before)).isTrue();
        assertThat(rotated.sign(LABEL, MESSAGE)).as("signed with the new primary").isNotEqualTo(before);
        assertThat(rotated.verify(LABEL, MESSAGE, rotated.sign(LABEL, MESSAGE))).isTrue();
        assertThat(new CapabilitySignatures(EncryptionKeys.parse(NEW)).verify(LABEL, MESSAGE, before))
                .as("once the old key is dropped").isFalse();
    }

    @Test
    void aWrongSignatureIsRefused() {
        CapabilitySignatures signatures = new CapabilitySignatures(EncryptionKeys.parse(OLD));
        String signature = signatures.sign(LABEL, MESSAGE);
        char last = signature.charAt(signature.length() - 1);
        String tampered = signature.substring(0, signature.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(signatures.verify(LABEL, MESSAGE, signature)).isTrue();
        assertThat(signatures.verify(LABEL, MESSAGE, tampered)).isFalse();
        assertThat(signatures.verify(LABEL, MESSAGE + "x", signature)).isFalse();
        assertThat(signatures.verify(LABEL, MESSAGE, signature.substring(1))).isFalse();
        assertThat(signatures.verify(LABEL, MESSAGE, "")).isFalse();
        assertThat(signatures.verify(LABEL, MESSAGE, null)).isFalse();
        assertThat(signatures.verify(LABEL, MESSAGE, "not base64!")).isFalse();
        String otherSpelling = signature.substring(0, signature.length() - 1)
                + (char) (signature.charAt(signature.length() - 1) ^ 1);
        assertThat(signatures.verify(LABEL, MESSAGE, otherSpelling))
                .as("the same bytes spelt with other unused bits in the last character").isFalse();
        assertThat(new CapabilitySignatures(EncryptionKeys.parse(NEW)).verify(LABEL, MESSAGE, signature))
                .as("another install's key").isFalse();
    }

    /** Read from the bytecode: the comparison is MessageDigest.isEqual, never an early-exit equals. */
    @Test
    void verifyComparesInConstantTime() {
        JavaClass signatures = new ClassFileImporter().importClass(CapabilitySignatures.class);
        var calls = signatures.getMethod("verify", String.class, String.class, String.class).getMethodCallsFromSelf()
                .stream().map(JavaMethodCall::getTarget).toList();

        assertThat(calls).anyMatch(target -> target.getOwner().isEquivalentTo(MessageDigest.class)
                && target.getName().equals("isEqual"));
        assertThat(calls).noneMatch(target -> target.getName().equals("equals")
                || target.getOwner().isEquivalentTo(Arrays.class) || target.getName().equals("contentEquals"));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
