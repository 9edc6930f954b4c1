package dev.flowline.connections.jpa;

import dev.flowline.connections.SharedConnection;
import dev.flowline.connections.WorkspaceConnectionRepository;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** {@link WorkspaceConnectionRepository} on PostgreSQL; every read joins the token for its email and state. */
@Stateless
public class JpaWorkspaceConnectionRepository implements WorkspaceConnectionRepository {

    private static final String FROM = " FROM workspace_connections c JOIN user_oauth_tokens t"
            + " ON t.id = c.user_oauth_token_id ";

    @PersistenceContext(unitName = "flowline")
    EntityManager em;

    @Override
    public Optional<SharedConnection> create(UUID workspaceId, UUID ownerId, UUID tokenId, String name, Instant now) {
        // Only the owner's personal token can be shared; the shared flag is set in the same statement.
        List<?> created = em.createNativeQuery("""
                        WITH token AS (
                            SELECT id, provider FROM user_oauth_tokens
                            WHERE id = ?3 AND owner_user_id = ?2 AND workspace_id IS NULL),
                        shared AS (
                            INSERT INTO workspace_connections (id, workspace_id, owner_user_id, user_oauth_token_id,
                                provider, name, created_at)
                            SELECT ?5, ?1, ?2, token.id, token.provider, ?4, ?6 FROM token
                            ON CONFLICT (workspace_id, user_oauth_token_id) DO NOTHING
                            RETURNING id),
                        flagged AS (
                            UPDATE user_oauth_tokens SET is_shared = true
                            WHERE id = ?3 AND EXISTS (SELECT 1 FROM shared))
                        SELECT id FROM shared""")
                .setParameter(1, workspaceId)
                .setParameter(2, ownerId)
                .setParameter(3, tokenId)
                .setParameter(4, name)
                .setParameter(5, UUID.randomUUID())
                .setParameter(6, SqlTimestamps.of(now))
                .getResultList();
        if (created.isEmpty()) {
            return Optional.empty();
        }
        em.flush();
        return findInWorkspace(workspaceId, (UUID) created.get(0));
    }

    @Override
    public List<SharedConnection> listByWorkspace(UUID workspaceId) {
        return em.createNativeQuery("SELECT " + TokenRows.SHARED_COLUMNS + FROM
                        + "WHERE c.workspace_id = ?1 ORDER BY c.created_at, c.id")
                .setParameter(1, workspaceId)
                .getResultList().stream().map(TokenRows::shared).toList();
    }

    @Override
    public List<SharedConnection> listByWorkspaceCreator(UUID workspaceId, UUID userId) {
        return em.createNativeQuery("SELECT " + TokenRows.SHARED_COLUMNS + FROM
                        + "WHERE c.workspace_id = ?1 AND c.owner_user_id = ?2 ORDER BY c.created_at, c.id")
                .setParameter(1, workspaceId)
                .setParameter(2, userId)
                .getResultList().stream().map(TokenRows::shared).toList();
    }

    @Override
    public Optional<SharedConnection> findInWorkspace(UUID workspaceId, UUID connectionId) {
        return em.createNativeQuery("SELECT " + TokenRows.SHARED_COLUMNS + FROM
                        + "WHERE c.workspace_id = ?1 AND c.id = ?2")
                .setParameter(1, workspaceId)
                .setParameter(2, connectionId)
                .getResultList().stream().findFirst().map(TokenRows::shared);
    }

    @Override
    public boolean deleteById(UUID connectionId) {
        return em.createNativeQuery("DELETE FROM workspace_connections WHERE id = ?1")
                .setParameter(1, connectionId)
                .executeUpdate() == 1;
    }

    @Override
    public int deleteByWorkspaceAndOwner(UUID workspaceId, UUID ownerId) {
        return em.createNativeQuery("DELETE FROM workspace_connections WHERE workspace_id = ?1 AND owner_user_id = ?2")
                .setParameter(1, workspaceId)
                .setParameter(2, ownerId)
                .executeUpdate();
    }

    @Override
    public Set<UUID> deleteByWorkspace(UUID workspaceId) {
        List<?> owners = em.createNativeQuery("DELETE FROM workspace_connections WHERE workspace_id = ?1"
                        + " RETURNING owner_user_id")
                .setParameter(1, workspaceId)
                .getResultList();
        return owners.stream().map(UUID.class::cast).collect(Collectors.toSet());
    }
}
