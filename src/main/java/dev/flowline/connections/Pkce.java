package dev.flowline.connections;

import dev.flowline.platform.security.OpaqueTokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * PKCE (RFC 7636) with the S256 method: a random verifier kept by us ({@link OpaqueTokens#generate()}: 43 base64url
 * characters of 32 random bytes, the shortest verifier RFC 7636 allows), its SHA-256 challenge sent to the provider.
 */
final class Pkce {

    private Pkce() {
    }

    static String newVerifier() {
        return OpaqueTokens.generate();
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
