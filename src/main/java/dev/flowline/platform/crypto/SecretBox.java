package dev.flowline.platform.crypto;

import dev.flowline.platform.config.Development;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Encrypts secrets stored in the database (webhook signing secrets, OAuth tokens) with AES-256-GCM.
 *
 * <p>Stored format: {@code v1:<keyId>:<base64url without padding(iv || ciphertext || tag)>}, a 12-byte random IV
 * and a 128-bit tag. The key id says which of {@link EncryptionKeys} decrypts it, so keys can rotate.
 * The associated data (its UTF-8 bytes are the GCM AAD) names the row the secret belongs to, such as
 * {@code "workflow-webhook:" + workflowId}: a ciphertext copied into another row no longer decrypts.
 *
 * <p>Random 96-bit IVs are safe for up to 2^32 encryptions per key (NIST SP 800-38D), far more than we store.
 *
 * <p>Tests build it with {@link #SecretBox(EncryptionKeys)}; in the server it reads its keys from MicroProfile
 * Config when the application starts, so a deployment without keys (outside development) fails to deploy.
 */
@ApplicationScoped
public class SecretBox {

    static final String VERSION = "v1";
    private static final Logger LOG = Logger.getLogger(SecretBox.class.getName());
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    Config config;

    private EncryptionKeys keys;

    /** For CDI: the keys come from configuration in {@link #loadKeys()}. */
    public SecretBox() {
    }

    public SecretBox(EncryptionKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @PostConstruct
    void loadKeys() {
        if (keys == null) {
            keys = configuredKeys(config);
        }
    }

    /** The keys {@code config} names ({@link EncryptionKeys#fromConfiguration}), for the beans that use them. */
    static EncryptionKeys configuredKeys(Config config) {
        return EncryptionKeys.fromConfiguration(
                config.getOptionalValue(EncryptionKeys.CONFIG_KEY, String.class),
                Development.enabled(config),
                config.getOptionalValue("flowline.db.url", String.class).orElse(""));
    }

    /**
     * Creates this bean when the application starts: missing or invalid keys then fail the deployment
     * (the exception from {@link #loadKeys()}) instead of the first request that needs a secret.
     */
    void checkKeysAtStartup(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        LOG.info(() -> "Secrets at rest: encrypting with key id " + keys.primaryId() + ", decrypting with "
                + keys.keyIds());
    }

    /** Encrypts {@code plaintext} for the row named by {@code associatedData}; a new random IV every call. */
    public String encrypt(String plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        requireAssociatedData(associatedData);
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.primaryKey(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        byte[] payload = new byte[IV_BYTES + sealed.length];
        System.arraycopy(iv, 0, payload, 0, IV_BYTES);
        System.arraycopy(sealed, 0, payload, IV_BYTES, sealed.length);
        return VERSION + ":" + keys.primaryId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
    }

    /**
     * Decrypts a value made by {@link #encrypt} with the same associated data.
     *
     * @throws DecryptionFailedException if the value is malformed, names a key id that is no longer configured,
     *                                   or fails authentication (altered, copied from another row, wrong key)
     */
    public String decrypt(String stored, String associatedData) {
        Objects.requireNonNull(stored, "stored");
        requireAssociatedData(associatedData);
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new DecryptionFailedException("Cannot decrypt secret: not a " + VERSION + ":<keyId>:<data> value");
        }
        String keyId = parts[1];
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new DecryptionFailedException("Cannot decrypt secret: malformed key id");
        }
        SecretKey key = keys.key(keyId).orElseThrow(() -> new DecryptionFailedException(
                "Cannot decrypt secret: unknown encryption key id '" + keyId + "' (not in "
                        + EncryptionKeys.CONFIG_KEY + "; was a key removed before re-encryption?)"));
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new DecryptionFailedException("Cannot decrypt secret (key id '" + keyId + "'): data is not base64url");
        }
        if (payload.length < IV_BYTES + TAG_BITS / 8) {
            throw new DecryptionFailedException("Cannot decrypt secret (key id '" + keyId + "'): data too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, IV_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] plaintext = cipher.doFinal(payload, IV_BYTES, payload.length - IV_BYTES);
            return new String(plaintext, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new DecryptionFailedException("Cannot decrypt secret (key id '" + keyId + "'): authentication"
                    + " failed: the value was altered, belongs to another row, or the key behind this id changed"
                    + (keys.isDevelopment() ? " (the development key follows flowline.db.url: did it change?)" : ""));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /**
     * The id of the key that encrypts new values. A stored value made with another key still decrypts while its key is
     * configured; re-encryption jobs look for values whose prefix is not {@code v1:<this id>:}.
     */
    public String primaryKeyId() {
        return keys.primaryId();
    }

    /** Whether {@code stored} was made with the primary key (else a re-encryption job should renew it). */
    public boolean isUnderPrimaryKey(String stored) {
        return stored != null && stored.startsWith(VERSION + ":" + keys.primaryId() + ":");
    }

    private static void requireAssociatedData(String associatedData) {
        // Always bind to a row: an empty binding would let ciphertexts move between rows unnoticed.
        if (associatedData == null || associatedData.isEmpty()) {
            throw new IllegalArgumentException("associatedData must name the row the secret belongs to");
        }
    }

    /** A stored secret cannot be decrypted. Messages carry the key id at most, never secret material. */
    public static final class DecryptionFailedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        DecryptionFailedException(String message) {
            super(message);
        }
    }
}
