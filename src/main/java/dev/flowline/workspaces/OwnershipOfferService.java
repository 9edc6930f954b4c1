package dev.flowline.workspaces;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.ResourceNotFoundException;
import dev.flowline.platform.mail.OutgoingMail;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import dev.flowline.users.UserRepository;
import dev.flowline.workspaces.WorkspaceErrors.MemberNotFoundException;
import dev.flowline.workspaces.WorkspaceErrors.NewOwnerWorkspaceLimitException;
import dev.flowline.workspaces.WorkspaceErrors.NoOwnershipOfferException;
import dev.flowline.workspaces.WorkspaceErrors.NotTheOffereeException;
import dev.flowline.workspaces.WorkspaceErrors.OwnerOnlyException;
import dev.flowline.workspaces.WorkspaceErrors.OwnershipOfferExpiredException;
import dev.flowline.workspaces.WorkspaceErrors.OwnershipOfferStaleException;
import dev.flowline.workspaces.WorkspaceErrors.PersonalWorkspaceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Ownership moves by consent: the owner offers the workspace (and with it the payment of its tier and overage) to a
 * member, and it moves only when that member accepts. One offer per workspace (offering again replaces it); it
 * expires after {@code flowline.workspaces.ownership-offer-ttl-days}; the owner may withdraw it, the offeree
 * decline it. The offeree is emailed, paced like invitation emails. The rules of a transfer (the new owner's limit
 * of team workspaces, the old owner becoming an admin, {@link WorkspaceOwnerChanged}) apply when it is accepted;
 * the limit is also checked when the offer is made, for early feedback.
 */
@ApplicationScoped
@Transactional
public class OwnershipOfferService {

    @Inject
    OwnershipOfferRepository offers;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    WorkspaceAccess access;

    @Inject
    UserRepository users;

    @Inject
    PlanCatalog plans;

    @Inject
    InvitationMailPacing pacing;

    @Inject
    WorkspaceEmails emails;

    @Inject
    Event<OutgoingMail> mail;

    @Inject
    Event<WorkspaceOwnerChanged> ownerChanged;

    @Inject
    Event<WorkspaceActivity> activity;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "flowline.workspaces.ownership-offer-ttl-days", defaultValue = "7")
    int offerTtlDays;

    /** The owner offers the workspace to another member; an earlier offer is replaced. */
    public OwnershipOffer offer(UUID workspaceId, UUID ownerId, UUID offeredTo) {
        if (access.require(workspaceId, ownerId, WorkspaceRole.VIEWER) != WorkspaceRole.OWNER) {
            throw new OwnerOnlyException("offer ownership");
        }
        if (workspace(workspaceId).personal()) {
            throw new PersonalWorkspaceException("A personal workspace stays with its owner: its ownership cannot be"
                    + " offered. Create a team workspace to hand one over.");
        }
        if (ownerId.equals(offeredTo)) {
            throw new InvalidInputException("You already own this workspace: offer it to another member.",
                    new FieldError("userId", "is the owner"));
        }
        Member offeree = workspaces.findMember(workspaceId, offeredTo).orElseThrow(MemberNotFoundException::new);
        requireRoomFor(offeredTo);
        Instant now = clock.instant();
        // Counted before the offer is stored; a refusal after it rolls the count back with the transaction.
        pacing.takeWorkspaceMail(workspaceId, now);
        Duration ttl = Duration.ofDays(offerTtlDays);
        OwnershipOffer offer = offers.offer(workspaceId, ownerId, offeredTo, now, now.plus(ttl))
                .orElseThrow(() -> workspaces.findRole(workspaceId, ownerId).filter(WorkspaceRole.OWNER::equals).isPresent()
                        ? new MemberNotFoundException() : new OwnerOnlyException("offer ownership"));
        String offererName = workspaces.findMember(workspaceId, ownerId).map(Member::name).orElse("The owner");
        activity.fire(WorkspaceActivity.ownershipOffered(ownerId, workspaceId, offeredTo));
        mail.fire(emails.ownershipOffer(offer, offeree.email(), offererName, ttl));
        return offer;
    }

    /** Any member sees the workspace's offer, open or expired (members see who is who anyway). */
    public OwnershipOffer get(UUID workspaceId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        return offers.find(workspaceId).orElseThrow(NoOwnershipOfferException::new);
    }

    /** The owner withdraws the offer they made, open or expired. */
    public void withdraw(UUID workspaceId, UUID ownerId) {
        if (access.require(workspaceId, ownerId, WorkspaceRole.VIEWER) != WorkspaceRole.OWNER) {
            throw new OwnerOnlyException("withdraw an ownership offer");
        }
        if (!offers.withdraw(workspaceId, ownerId)) {
            throw new NoOwnershipOfferException();
        }
        activity.fire(WorkspaceActivity.ownershipWithdrawn(ownerId, workspaceId));
    }

    /**
     * The offeree takes the workspace. Atomic in the database: the offerer's and the offeree's member rows are
     * locked and checked by the transfer (still the owner, still a member), then the offer is taken by a guarded
     * delete (still this offer, not expired); if either fails, the whole transaction rolls back. A concurrent
     * withdrawal or acceptance therefore wins or loses whole.
     */
    public Membership accept(UUID workspaceId, UUID userId) {
        OwnershipOffer offer = answerable(workspaceId, userId);
        if (workspace(workspaceId).personal()) {
            throw new PersonalWorkspaceException("A personal workspace stays with its owner.");
        }
        requireRoomFor(userId);
        if (!workspaces.transferOwnership(workspaceId, offer.offeredBy(), userId)) {
            throw new OwnershipOfferStaleException();
        }
        if (!offers.take(workspaceId, offer.offeredBy(), userId, clock.instant())) {
            throw new NoOwnershipOfferException();
        }
        ownerChanged.fire(new WorkspaceOwnerChanged(workspaceId, userId));
        activity.fire(WorkspaceActivity.ownershipAccepted(userId, workspaceId, offer.offeredBy()));
        // an observer (billing) may have set the tier from the new owner's subscription
        return new Membership(workspace(workspaceId), WorkspaceRole.OWNER);
    }

    /** The offeree says no; the owner keeps the workspace. */
    public void decline(UUID workspaceId, UUID userId) {
        OwnershipOffer offer = answerable(workspaceId, userId);
        if (!offers.take(workspaceId, offer.offeredBy(), userId, clock.instant())) {
            throw new NoOwnershipOfferException();
        }
        activity.fire(WorkspaceActivity.ownershipDeclined(userId, workspaceId));
    }

    /** Open offers made to the caller, oldest first. */
    public Page<OwnershipOffer> mine(UUID userId, String cursor, Integer limit) {
        int size = Keyset.limit(limit);
        return Keyset.page(offers.listOpenFor(userId, clock.instant(), Keyset.decode(cursor), size), size,
                o -> new Keyset(o.createdAt(), o.workspaceId()));
    }

    /** The open offer made to {@code userId}: members only (403), then 404 none, 403 someone else's, 410 expired. */
    private OwnershipOffer answerable(UUID workspaceId, UUID userId) {
        access.require(workspaceId, userId, WorkspaceRole.VIEWER);
        OwnershipOffer offer = offers.find(workspaceId).orElseThrow(NoOwnershipOfferException::new);
        if (!offer.offeredTo().equals(userId)) {
            throw new NotTheOffereeException();
        }
        if (!offer.openAt(clock.instant())) {
            throw new OwnershipOfferExpiredException();
        }
        return offer;
    }

    /** The new owner's room for one more team workspace, counted under the lock on their ownerships. */
    private void requireRoomFor(UUID newOwnerId) {
        int limit = users.findById(newOwnerId).map(u -> plans.maxOwnedTeamWorkspaces(u.plan()))
                .orElseThrow(MemberNotFoundException::new);
        if (workspaces.lockOwnedTeamWorkspaces(newOwnerId) >= limit) {
            throw new NewOwnerWorkspaceLimitException();
        }
    }

    private Workspace workspace(UUID workspaceId) {
        return workspaces.findById(workspaceId)
                .orElseThrow(() -> new ResourceNotFoundException("No workspace " + workspaceId + "."));
    }
}
