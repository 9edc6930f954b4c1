package dev.flowline.platform.crypto;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The AES-256 keys that protect secrets at rest, from {@code flowline.encryption-keys}
 * (environment variable {@code FLOWLINE_ENCRYPTION_KEYS}): comma-separated {@code keyId:base64(32 bytes)} entries.
 * The first entry is the primary and encrypts; every entry decrypts.
 *
 * <p>Rotation: put a new entry first and keep the old ones until every stored value has been re-encrypted
 * (each stored value names its key id), then drop them.
 *
 * <p>Making an entry (key ids match {@code [A-Za-z0-9_-]{1,32}}):
 * <pre>{@code echo "k$(date +%Y%m%d):$(openssl rand -base64 32)"}</pre>
 * or {@link #generateEntry(String)} from Java.
 *
 * <p>Without the key, a developer install ({@code flowline.development=true}) falls back to
 * {@link #forDevelopment(String) a derived key} that is stable but not secret; anywhere else the application refuses
 * to start (see {@link #fromConfiguration}).
 */
public final class EncryptionKeys {

    public static final String CONFIG_KEY = "flowline.encryption-keys";
    static final String MISSING_IN_PRODUCTION = "flowline.encryption-keys (FLOWLINE_ENCRYPTION_KEYS) is required"
            + " (only a developer machine may go without, with flowline.development=true)";
    static final String DEVELOPMENT_KEY_ID = "dev";

    private static final Logger LOG = Logger.getLogger(EncryptionKeys.class.getName());
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    // Changing either label changes every development key, making secrets stored by dev installs unreadable.
    private static final byte[] DEVELOPMENT_SALT = "flowline development encryption key v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DEVELOPMENT_INFO = "aes-256-gcm".getBytes(StandardCharsets.UTF_8);

    private final String primaryId;
    private final Map<String, SecretKey> keysById;

    private EncryptionKeys(Map<String, SecretKey> keysById) {
        this.keysById = Collections.unmodifiableMap(keysById);
        this.primaryId = keysById.keySet().iterator().next();
    }

    /**
     * Decides which keys the application uses: the configured ones; else, in development, the development key
     * (with a warning); else an exception naming the missing key. Blank counts as absent, as in MicroProfile Config.
     */
    public static EncryptionKeys fromConfiguration(Optional<String> configured, boolean development,
                                                   String databaseUrl) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return parse(configured.get());
        }
        if (!development) {
            throw new IllegalStateException(MISSING_IN_PRODUCTION);
        }
        LOG.warning("no flowline.encryption-keys: using a key derived for development only"
                + " (flowline.development=true); set FLOWLINE_ENCRYPTION_KEYS anywhere else");
        return forDevelopment(databaseUrl);
    }

    /**
     * Parses the configuration value. Error messages name the configuration key and the entry's position,
     * never key material (nor a key id that does not look like one: it may be a pasted key).
     */
    public static EncryptionKeys parse(String value) {
        if (value == null || value.isBlank()) {
            throw invalid("no keys; expected keyId:base64(32 bytes)[,keyId:base64(32 bytes)...]");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        List<String> entries = List.of(value.split(",", -1));
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            int position = i + 1;
            if (entry.isEmpty()) {
                throw invalid("entry " + position + " is empty");
            }
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw invalid("entry " + position + " is not keyId:base64(32 bytes)");
            }
            String keyId = entry.substring(0, colon).trim();
            if (!KEY_ID.matcher(keyId).matches()) {
                throw invalid("entry " + position + " has an invalid key id (expected [A-Za-z0-9_-]{1,32})");
            }
            if (keys.containsKey(keyId)) {
                throw invalid("key id '" + keyId + "' appears twice");
            }
            keys.put(keyId, aesKey(decodeKey(entry.substring(colon + 1).trim(), position, keyId)));
        }
        return new EncryptionKeys(keys);
    }

    /**
     * A fresh {@code keyId:base64} entry for operators. Prefer a dated id ({@code k20250101}) so that
     * rotations are easy to follow.
     */
    public static String generateEntry(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("A key id matches [A-Za-z0-9_-]{1,32}");
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return keyId + ":" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The development key, id {@code dev}: HKDF-SHA256 (RFC 5869) with the salt
     * {@code "flowline development encryption key v1"}, the database URL as input keying material and the info
     * {@code "aes-256-gcm"}, 32 bytes. It is the same on every restart of an install that keeps its database URL,
     * so stored secrets stay readable, and differs between installs with different URLs; but anyone who knows the
     * URL can compute it: it is NOT secret and protects nothing in production.
     */
    public static EncryptionKeys forDevelopment(String databaseUrl) {
        byte[] inputKeyingMaterial = (databaseUrl == null ? "" : databaseUrl).getBytes(StandardCharsets.UTF_8);
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        keys.put(DEVELOPMENT_KEY_ID, aesKey(hkdfSha256(DEVELOPMENT_SALT, inputKeyingMaterial, DEVELOPMENT_INFO)));
        return new EncryptionKeys(keys);
    }

    String primaryId() {
        return primaryId;
    }

    SecretKey primaryKey() {
        return keysById.get(primaryId);
    }

    Optional<SecretKey> key(String keyId) {
        return Optional.ofNullable(keysById.get(keyId));
    }

    /** Every key, the primary first: what verifies a value made with any configured key. */
    List<SecretKey> all() {
        return List.copyOf(keysById.values());
    }

    boolean isDevelopment() {
        return keysById.size() == 1 && keysById.containsKey(DEVELOPMENT_KEY_ID);
    }

    public List<String> keyIds() {
        return List.copyOf(keysById.keySet());
    }

    /** Key ids only: an instance may end up in a log line. */
    @Override
    public String toString() {
        return "EncryptionKeys[primary=" + primaryId + ", ids=" + keysById.keySet() + "]";
    }

    private static byte[] decodeKey(String base64, int position, String keyId) {
        byte[] key;
        try {
            // Standard alphabet (what openssl prints); the URL-safe one is accepted too. Padding is optional.
            key = Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character: drop it.
            throw invalid("entry " + position + " (key id '" + keyId + "') is not valid base64");
        }
        if (key.length != KEY_BYTES) {
            throw invalid("entry " + position + " (key id '" + keyId + "') must decode to " + KEY_BYTES
                    + " bytes, not " + key.length);
        }
        return key;
    }

    private static IllegalStateException invalid(String detail) {
        return new IllegalStateException("Invalid " + CONFIG_KEY + " (FLOWLINE_ENCRYPTION_KEYS): " + detail);
    }

    private static SecretKey aesKey(byte[] bytes) {
        return new SecretKeySpec(bytes, "AES");
    }

    /** RFC 5869 with a single expand block, enough for 32 bytes. */
    private static byte[] hkdfSha256(byte[] salt, byte[] inputKeyingMaterial, byte[] info) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] pseudoRandomKey = mac.doFinal(inputKeyingMaterial);
            mac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            mac.update(info);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
