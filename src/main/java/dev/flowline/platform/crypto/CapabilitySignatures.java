package dev.flowline.platform.crypto;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Signatures that make a URL a capability (whoever holds it may use it, nobody can forge it), derived rather than
 * stored: base64url (no padding) of HMAC-SHA256 over a message, keyed with a sub-key of an {@link EncryptionKeys}
 * key, {@code HMAC-SHA256(key, label)}. The label names the purpose ({@code "flowline resume urls v1"}), so a
 * signature made for one purpose is worthless for another and the encryption keys themselves never sign anything.
 * <p>
 * Signing uses the primary key; verifying accepts a signature made with any configured key, so a key rotation does
 * not invalidate URLs already handed out (dropping a key does). The comparison takes constant time.
 */
@ApplicationScoped
public class CapabilitySignatures {

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Inject
    Config config;

    private List<SecretKey> keys;

    /** For CDI: the keys come from configuration, as {@link SecretBox}'s do. */
    public CapabilitySignatures() {
    }

    public CapabilitySignatures(EncryptionKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys").all();
    }

    @PostConstruct
    void loadKeys() {
        if (keys == null) {
            keys = SecretBox.configuredKeys(config).all();
        }
    }

    /** The signature of {@code message} for the purpose {@code label}, with the primary key. */
    public String sign(String label, String message) {
        return ENCODER.encodeToString(mac(keys.get(0), label, message));
    }

    /** Whether {@code signature} is {@code message}'s for {@code label} under any configured key. */
    public boolean verify(String label, String message, String signature) {
        byte[] given = decodeCanonical(signature);
        if (given == null) {
            return false;
        }
        boolean valid = false;
        for (SecretKey key : keys) {
            // every key is tried: the time taken does not tell which one matched
            valid |= MessageDigest.isEqual(mac(key, label, message), given);
        }
        return valid;
    }

    /**
     * The bytes of {@code signature} if it is base64url in its one canonical spelling, else null. Java's decoder
     * ignores the unused low bits of the last character, so four spellings would decode to the same bytes; a URL has
     * one. (Single use does not rest on this: a wait's end is recorded once per run and node. This compares the
     * caller's text with itself, nothing secret.)
     */
    private static byte[] decodeCanonical(String signature) {
        if (signature == null) {
            return null;
        }
        try {
            byte[] decoded = Base64.getUrlDecoder().decode(signature);
            return ENCODER.encodeToString(decoded).equals(signature) ? decoded : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] mac(SecretKey key, String label, String message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key.getEncoded(), HMAC));
            byte[] subKey = mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
            mac.init(new SecretKeySpec(subKey, HMAC));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
