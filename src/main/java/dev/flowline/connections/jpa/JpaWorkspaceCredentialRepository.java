package dev.flowline.connections.jpa;

import dev.flowline.connections.SharedCredential;
import dev.flowline.connections.WorkspaceCredentialRepository;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link WorkspaceCredentialRepository} on PostgreSQL; every read joins the credential for its kind and origins. */
@Stateless
public class JpaWorkspaceCredentialRepository implements WorkspaceCredentialRepository {

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public Optional<SharedCredential> create(UUID workspaceId, UUID ownerId, UUID credentialId, String name,
                                             Instant now) {
        // Only the owner's credential can be shared: the statement inserts nothing otherwise.
        List<?> created = em.createNativeQuery("""
                        INSERT INTO workspace_credentials (id, workspace_id, owner_user_id, user_credential_id, name,
                            created_at)
                        SELECT ?5, ?1, ?2, k.id, ?4, ?6 FROM user_credentials k WHERE k.id = ?3 AND k.owner_user_id = ?2
                        ON CONFLICT (workspace_id, user_credential_id) DO NOTHING
                        RETURNING id""")
                .setParameter(1, workspaceId)
                .setParameter(2, ownerId)
                .setParameter(3, credentialId)
                .setParameter(4, name)
                .setParameter(5, UUID.randomUUID())
                .setParameter(6, SqlTimestamps.of(now))
                .getResultList();
        if (created.isEmpty()) {
            return Optional.empty();
        }
        return findInWorkspace(workspaceId, (UUID) created.get(0));
    }

    @Override
    public List<SharedCredential> listByWorkspace(UUID workspaceId) {
        return em.createNativeQuery("SELECT " + CredentialRows.SHARED_COLUMNS + CredentialRows.SHARED_FROM
                        + "WHERE s.workspace_id = ?1 ORDER BY s.created_at, s.id")
                .setParameter(1, workspaceId)
                .getResultList().stream().map(CredentialRows::shared).toList();
    }

    @Override
    public List<SharedCredential> listByWorkspaceCreator(UUID workspaceId, UUID userId) {
        return em.createNativeQuery("SELECT " + CredentialRows.SHARED_COLUMNS + CredentialRows.SHARED_FROM
                        + "WHERE s.workspace_id = ?1 AND s.owner_user_id = ?2 ORDER BY s.created_at, s.id")
                .setParameter(1, workspaceId)
                .setParameter(2, userId)
                .getResultList().stream().map(CredentialRows::shared).toList();
    }

    @Override
    public Optional<SharedCredential> findInWorkspace(UUID workspaceId, UUID sharedId) {
        return em.createNativeQuery("SELECT " + CredentialRows.SHARED_COLUMNS + CredentialRows.SHARED_FROM
                        + "WHERE s.workspace_id = ?1 AND s.id = ?2")
                .setParameter(1, workspaceId)
                .setParameter(2, sharedId)
                .getResultList().stream().findFirst().map(CredentialRows::shared);
    }

    @Override
    public boolean deleteById(UUID sharedId) {
        return em.createNativeQuery("DELETE FROM workspace_credentials WHERE id = ?1")
                .setParameter(1, sharedId)
                .executeUpdate() == 1;
    }

    @Override
    public int deleteByWorkspaceAndOwner(UUID workspaceId, UUID ownerId) {
        return em.createNativeQuery("DELETE FROM workspace_credentials WHERE workspace_id = ?1 AND owner_user_id = ?2")
                .setParameter(1, workspaceId)
                .setParameter(2, ownerId)
                .executeUpdate();
    }

    @Override
    public int deleteByWorkspace(UUID workspaceId) {
        return em.createNativeQuery("DELETE FROM workspace_credentials WHERE workspace_id = ?1")
                .setParameter(1, workspaceId)
                .executeUpdate();
    }
}
