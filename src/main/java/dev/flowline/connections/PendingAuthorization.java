package dev.flowline.connections;

import java.time.Instant;
import java.util.UUID;

/**
 * An authorization request in flight, taken (and deleted) by its state at the callback. {@code browserNonceHash}
 * is the SHA-256 (hex) of the nonce in the starting browser's cookie ({@link BrowserBinding}); null on rows written
 * before the binding existed, which therefore cannot complete.
 */
public record PendingAuthorization(UUID userId, String provider, String codeVerifierEnc, Instant expiresAt,
                                   String browserNonceHash) {
}
