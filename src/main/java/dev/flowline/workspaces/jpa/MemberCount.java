package dev.flowline.workspaces.jpa;

import jakarta.persistence.EntityManager;

import java.util.UUID;

/**
 * The number of a workspace's members: what {@link JpaWorkspaceRepository#countMembers} answers and, each member
 * holding a seat, part of {@link JpaInvitationRepository#countSeats}.
 */
final class MemberCount {

    private MemberCount() {
    }

    static int of(EntityManager em, UUID workspaceId) {
        return em.createNamedQuery(WorkspaceMemberEntity.COUNT, Long.class)
                .setParameter("workspaceId", workspaceId)
                .getSingleResult()
                .intValue();
    }
}
