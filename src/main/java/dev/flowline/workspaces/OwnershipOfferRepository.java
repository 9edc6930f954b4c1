package dev.flowline.workspaces;

import dev.flowline.platform.pagination.Keyset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The open ownership offers of workspaces, at most one per workspace (an expired one stays until it is replaced or
 * withdrawn, and can no longer be accepted). An offer goes with its offeree or its maker when either leaves the
 * workspace (the schema's cascade). Implemented by {@code JpaOwnershipOfferRepository} on PostgreSQL.
 * <p>
 * Lock order, so that offers, transfers and removals never deadlock: member rows first (in user id order, as
 * {@link WorkspaceRepository#transferOwnership} takes them), then the offer row.
 */
public interface OwnershipOfferRepository {

    /**
     * Stores the workspace's offer from {@code offeredBy} to {@code offeredTo}, replacing any earlier one, only while
     * {@code offeredBy} is the owner and {@code offeredTo} another member: both member rows are share-locked before
     * they are checked, so a concurrent transfer or removal either waits for this offer or is seen by it. Answers
     * the stored offer, or empty when those roles do not hold.
     */
    Optional<OwnershipOffer> offer(UUID workspaceId, UUID offeredBy, UUID offeredTo, Instant now, Instant expiresAt);

    /** The workspace's offer, open or expired. */
    Optional<OwnershipOffer> find(UUID workspaceId);

    /**
     * Offers made to {@code userId} that are open at {@code now}, ordered by (created_at, workspace_id),
     * {@code limit + 1} rows after {@code after}.
     */
    List<OwnershipOffer> listOpenFor(UUID userId, Instant now, Keyset after, int limit);

    /**
     * Deletes the offer from {@code offeredBy} to {@code offeredTo} if it is still there and open at {@code now}, in
     * one guarded statement (accepting or declining it): false when it was withdrawn, replaced, answered or expired
     * meanwhile.
     */
    boolean take(UUID workspaceId, UUID offeredBy, UUID offeredTo, Instant now);

    /** Deletes the offer {@code offeredBy} made in the workspace, open or expired; false when there is none. */
    boolean withdraw(UUID workspaceId, UUID offeredBy);
}
