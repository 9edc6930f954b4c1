package dev.flowline.connections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users' credentials that are not OAuth ({@code user_credentials}): personal, their secret encrypted. Reads that
 * serve lists and views never return the ciphertext; {@link #findStored} and {@link #lockNotUnderKey} are the only
 * ways to it. Implemented by {@code connections.jpa.JpaUserCredentialRepository}.
 */
public interface UserCredentialRepository {

    /**
     * Inserts the credential unless its owner already has {@code maxPerOwner}: decided under a per-owner lock, so
     * concurrent creations never overshoot. False when nothing was written.
     */
    boolean insert(NewCredential credential, int maxPerOwner, Instant now);

    /** The owner's credentials, oldest first. */
    List<Credential> listByOwner(UUID ownerId);

    Optional<Credential> findByOwner(UUID credentialId, UUID ownerId);

    /**
     * Changes what is given (null: unchanged; the shape goes with the secret) and bumps the version, when the row is
     * the owner's and, with {@code expectedVersion}, still at that version. Empty when nothing was written.
     */
    Optional<Credential> update(UUID credentialId, UUID ownerId, String name, CredentialOrigins origins,
                                CredentialShape shape, String secretEnc, Long expectedVersion, Instant now);

    /** Deletes the owner's credential and, with it, its shares. */
    boolean delete(UUID credentialId, UUID ownerId);

    /** The stored row with its ciphertext when {@code ownerId} owns it, read to be decrypted. */
    Optional<StoredCredential> findStored(UUID credentialId, UUID ownerId);

    /** Rows whose secret is not under {@code primaryKeyId}, locked and skipped by other instances. */
    List<StoredCredential> lockNotUnderKey(String primaryKeyId, int limit);

    void updateCiphertext(UUID credentialId, String secretEnc);
}
