package dev.flowline.connections;

import dev.flowline.platform.security.OpaqueTokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Binds an authorization to the browser that started it (RFC 9700 section 4.7.1): {@code /authorize} hands the
 * browser a random nonce in a cookie and only the nonce's SHA-256 hash is stored with the state; the callback
 * completes only when the same browser brings the nonce back. Without it, whoever holds a state could send its
 * provider URL to someone else and have that person's provider account stored in their own connections.
 *
 * <p>One cookie per state, named after a prefix of the state's hash: two authorizations started in two tabs each
 * keep their own nonce (a single cookie would be rewritten by the second tab, or need a read-modify-write in the
 * browser that two parallel requests race), and each cookie expires and is cleared with its own state.
 */
public final class BrowserBinding {

    /** Cookie names of bindings start with this; 16 hex characters of the state's hash follow. */
    public static final String COOKIE_PREFIX = "flowline_oauth_";

    private BrowserBinding() {
    }

    /** 256 random bits (SecureRandom), base64url: 43 characters safe in a cookie value. */
    static String newNonce() {
        return OpaqueTokens.generate();
    }

    static String hash(String nonce) {
        return OpaqueTokens.hash(nonce);
    }

    /** The name of the cookie that carries the nonce of this state. */
    public static String cookieName(String state) {
        return COOKIE_PREFIX + OpaqueTokens.hash(state).substring(0, 16);
    }

    /** Whether the browser's nonce hashes to the stored hash; constant time, false when either is missing. */
    static boolean matches(String storedHash, String presentedNonce) {
        if (storedHash == null || presentedNonce == null || presentedNonce.isEmpty()) {
            return false;
        }
        // both are 64 lowercase hex characters: isEqual compares them without an early exit
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
                hash(presentedNonce).getBytes(StandardCharsets.US_ASCII));
    }
}
