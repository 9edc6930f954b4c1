package dev.flowline.connections;

import dev.flowline.platform.crypto.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

/**
 * Encrypts and opens a credential's secret with {@link SecretBox}, as {@link TokenCipher} does for tokens: the
 * associated data is the row's identity (id, owner, kind), so a ciphertext copied into another row, another user's
 * row or a row of another kind no longer decrypts.
 */
@ApplicationScoped
public class CredentialCipher {

    @Inject
    SecretBox box;

    public String seal(UUID credentialId, UUID ownerId, CredentialKind kind, CredentialSecret secret) {
        if (secret.kind() != kind) {
            throw new IllegalArgumentException("a " + secret.kind().wireName() + " secret for a "
                    + kind.wireName() + " credential");
        }
        return box.encrypt(secret.toJson(), binding(credentialId, ownerId, kind));
    }

    /** @throws SecretBox.DecryptionFailedException when its key is gone or the value was moved or altered */
    public CredentialSecret open(StoredCredential credential) {
        return CredentialSecret.fromJson(credential.kind(), box.decrypt(credential.secretEnc(),
                binding(credential.id(), credential.ownerUserId(), credential.kind())));
    }

    public boolean isCurrent(StoredCredential credential) {
        return box.isUnderPrimaryKey(credential.secretEnc());
    }

    public String primaryKeyId() {
        return box.primaryKeyId();
    }

    static String binding(UUID credentialId, UUID ownerId, CredentialKind kind) {
        return "user-credential:" + credentialId + ":" + ownerId + ":" + kind.wireName();
    }
}
