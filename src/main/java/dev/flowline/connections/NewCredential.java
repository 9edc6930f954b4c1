package dev.flowline.connections;

import java.util.UUID;

/** A credential row to write: the id (chosen before encrypting, as it is part of the associated data) and the rest. */
public record NewCredential(UUID id, UUID ownerUserId, String name, CredentialKind kind, CredentialOrigins origins,
                            CredentialShape shape, String secretEnc) {

    @Override
    public String toString() {
        return "NewCredential[" + id + ", " + kind.wireName() + "]";
    }
}
