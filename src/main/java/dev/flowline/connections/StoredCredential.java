package dev.flowline.connections;

import java.util.UUID;

/**
 * A credential row as stored: the ciphertext, for {@link CredentialCipher} to open. Never leaves this area's services.
 */
public record StoredCredential(UUID id, UUID ownerUserId, CredentialKind kind, CredentialOrigins origins,
                               String secretEnc) {

    @Override
    public String toString() {
        return "StoredCredential[" + id + ", " + kind.wireName() + "]";
    }
}
