package dev.flowline.connections.jpa;

import dev.flowline.connections.Credential;
import dev.flowline.connections.CredentialOrigins;
import dev.flowline.connections.CredentialShape;
import dev.flowline.connections.NewCredential;
import dev.flowline.connections.StoredCredential;
import dev.flowline.connections.UserCredentialRepository;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link UserCredentialRepository} on PostgreSQL, in native SQL: the per-owner limit is decided under an advisory
 * lock, every statement but {@link #lockNotUnderKey} names the owner, and only two read the ciphertext.
 */
@Stateless
public class JpaUserCredentialRepository implements UserCredentialRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    /**
     * {@inheritDoc} The lock is a transaction-scoped advisory lock on the owner (it locks no row); the count runs in
     * the next statement, so it sees what the previous holder committed.
     */
    @Override
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public boolean insert(NewCredential credential, int maxPerOwner, Instant now) {
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 20261130))) AS locked")
                .setParameter(1, "user-credentials:" + credential.ownerUserId())
                .getResultList();
        return em.createNativeQuery("""
                        INSERT INTO user_credentials (id, owner_user_id, name, kind, origins, shape, secret_enc, version,
                            created_at, updated_at)
                        SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8
                        WHERE (SELECT count(*) FROM user_credentials WHERE owner_user_id = ?2) < ?9""")
                .setParameter(1, credential.id())
                .setParameter(2, credential.ownerUserId())
                .setParameter(3, credential.name())
                .setParameter(4, credential.kind().wireName())
                .setParameter(5, credential.origins().toString())
                .setParameter(6, CredentialRows.shapeText(credential.shape()))
                .setParameter(7, credential.secretEnc())
                .setParameter(8, SqlTimestamps.of(now))
                .setParameter(9, maxPerOwner)
                .executeUpdate() == 1;
    }

    @Override
    public List<Credential> listByOwner(UUID ownerId) {
        return em.createNativeQuery("SELECT " + CredentialRows.CREDENTIAL_COLUMNS + """
                         FROM user_credentials k
                        WHERE k.owner_user_id = ?1 ORDER BY k.created_at, k.id""")
                .setParameter(1, ownerId)
                .getResultList().stream().map(CredentialRows::credential).toList();
    }

    @Override
    public Optional<Credential> findByOwner(UUID credentialId, UUID ownerId) {
        return em.createNativeQuery("SELECT " + CredentialRows.CREDENTIAL_COLUMNS
                        + " FROM user_credentials k WHERE k.id = ?1 AND k.owner_user_id = ?2")
                .setParameter(1, credentialId)
                .setParameter(2, ownerId)
                .getResultList().stream().findFirst().map(CredentialRows::credential);
    }

    @Override
    public Optional<Credential> update(UUID credentialId, UUID ownerId, String name, CredentialOrigins origins,
                                       CredentialShape shape, String secretEnc, Long expectedVersion, Instant now) {
        int updated = em.createNativeQuery("""
                        UPDATE user_credentials SET name = coalesce(CAST(?3 AS text), name),
                            origins = coalesce(CAST(?4 AS text), origins), shape = coalesce(CAST(?5 AS text), shape),
                            secret_enc = coalesce(CAST(?6 AS text), secret_enc), version = version + 1, updated_at = ?7
                        WHERE id = ?1 AND owner_user_id = ?2
                          AND (CAST(?8 AS bigint) IS NULL OR version = CAST(?8 AS bigint))""")
                .setParameter(1, credentialId)
                .setParameter(2, ownerId)
                .setParameter(3, name)
                .setParameter(4, origins == null ? null : origins.toString())
                .setParameter(5, CredentialRows.shapeText(shape))
                .setParameter(6, secretEnc)
                .setParameter(7, SqlTimestamps.of(now))
                .setParameter(8, expectedVersion)
                .executeUpdate();
        return updated == 1 ? findByOwner(credentialId, ownerId) : Optional.empty();
    }

    @Override
    public boolean delete(UUID credentialId, UUID ownerId) {
        // Its shares go with it (ON DELETE CASCADE).
        return em.createNativeQuery("DELETE FROM user_credentials WHERE id = ?1 AND owner_user_id = ?2")
                .setParameter(1, credentialId)
                .setParameter(2, ownerId)
                .executeUpdate() == 1;
    }

    @Override
    public Optional<StoredCredential> findStored(UUID credentialId, UUID ownerId) {
        return em.createNativeQuery("SELECT " + CredentialRows.STORED_COLUMNS
                        + " FROM user_credentials k WHERE k.id = ?1 AND k.owner_user_id = ?2")
                .setParameter(1, credentialId)
                .setParameter(2, ownerId)
                .getResultList().stream().findFirst().map(CredentialRows::stored);
    }

    @Override
    public List<StoredCredential> lockNotUnderKey(String primaryKeyId, int limit) {
        return em.createNativeQuery("SELECT " + CredentialRows.STORED_COLUMNS + """
                         FROM user_credentials k WHERE k.secret_enc NOT LIKE ?1
                        ORDER BY k.id LIMIT ?2 FOR UPDATE SKIP LOCKED""")
                .setParameter(1, "v1:" + primaryKeyId + ":%")
                .setParameter(2, limit)
                .getResultList().stream().map(CredentialRows::stored).toList();
    }

    @Override
    public void updateCiphertext(UUID credentialId, String secretEnc) {
        em.createNativeQuery("UPDATE user_credentials SET secret_enc = ?2 WHERE id = ?1")
                .setParameter(1, credentialId)
                .setParameter(2, secretEnc)
                .executeUpdate();
    }
}
