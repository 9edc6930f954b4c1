package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.CredentialAlreadySharedException;
import dev.flowline.connections.ConnectionErrors.CredentialNotFoundException;
import dev.flowline.connections.ConnectionErrors.CredentialSharerNotMemberException;
import dev.flowline.connections.ConnectionErrors.NotTheCredentialSharerException;
import dev.flowline.connections.ConnectionErrors.NotYourCredentialException;
import dev.flowline.connections.ConnectionErrors.SharingNotInPlanException;
import dev.flowline.platform.crypto.SecretBox;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceAccess;
import dev.flowline.workspaces.WorkspaceRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Credentials in workspaces, as {@link WorkspaceConnectionService} and {@link WorkspaceOAuthService} do for OAuth
 * connections: members (not viewers) share their own credentials when the workspace's plan includes shared
 * connections; everyone in the workspace sees them (never their values); the sharer or an admin removes one. And
 * {@link #credentialForRun}, the only way to a decrypted credential.
 */
@ApplicationScoped
public class WorkspaceCredentialService {

    @Inject
    WorkspaceCredentialRepository shares;

    @Inject
    UserCredentialRepository credentials;

    @Inject
    WorkspaceAccess access;

    @Inject
    WorkspaceRepository workspaces;

    @Inject
    PlanCatalog plans;

    @Inject
    CredentialCipher cipher;

    @Inject
    Event<ConnectionActivity> activity;

    @Inject
    Clock clock;

    @Transactional
    public SharedCredential share(UUID workspaceId, UUID callerId, UUID credentialId, String name) {
        access.require(workspaceId, callerId, WorkspaceRole.MEMBER);
        boolean allowed = workspaces.getPlan(workspaceId).map(tier -> plans.limits(tier).sharedConnections())
                .orElse(false);
        if (!allowed) {
            throw new SharingNotInPlanException();
        }
        Credential credential = credentials.findByOwner(credentialId, callerId)
                .orElseThrow(NotYourCredentialException::new);
        String shownName = name != null && !name.isBlank() ? name.strip() : credential.name();
        SharedCredential shared = shares.create(workspaceId, callerId, credentialId, shownName, clock.instant())
                .orElseThrow(CredentialAlreadySharedException::new);
        activity.fire(ConnectionActivity.credentialShared(callerId, shared));
        return shared;
    }

    /** The workspace's credentials, or only those {@code sharedBy} shared when it is given. */
    @Transactional
    public List<SharedCredential> list(UUID workspaceId, UUID callerId, Optional<UUID> sharedBy) {
        access.require(workspaceId, callerId, WorkspaceRole.VIEWER);
        return sharedBy.map(userId -> shares.listByWorkspaceCreator(workspaceId, userId))
                .orElseGet(() -> shares.listByWorkspace(workspaceId));
    }

    @Transactional
    public void unshare(UUID workspaceId, UUID callerId, UUID sharedId) {
        WorkspaceRole role = access.require(workspaceId, callerId, WorkspaceRole.VIEWER);
        SharedCredential shared = shares.findInWorkspace(workspaceId, sharedId)
                .orElseThrow(CredentialNotFoundException::new);
        if (!shared.ownerUserId().equals(callerId) && !role.atLeast(WorkspaceRole.ADMIN)) {
            throw new NotTheCredentialSharerException();
        }
        shares.deleteById(sharedId);
        activity.fire(ConnectionActivity.credentialUnshared(callerId, shared));
    }

    /**
     * For a run of {@code workspaceId}: a credential shared into it by a member who still is one (checked in the
     * database before anything is decrypted), or in a personal workspace one of its owner's personal credentials.
     * {@code credentialId} is what the workflow names: a shared credential's id (as {@code GET
     * /workspaces/{id}/credentials} lists it), or in a personal workspace the owner's credential's own id, exactly
     * as {@link WorkspaceOAuthService#accessTokenForRun} resolves a {@code connectionId}.
     *
     * @throws CredentialNotFoundException         (404) for an id that is neither
     * @throws CredentialSharerNotMemberException  (403) when the sharer (or the personal workspace's owner) left
     * @throws SecretBox.DecryptionFailedException when its key is gone
     */
    public RunCredential credentialForRun(UUID workspaceId, UUID credentialId) {
        Optional<SharedCredential> sharedHere = shares.findInWorkspace(workspaceId, credentialId);
        StoredCredential stored;
        if (sharedHere.isPresent()) {
            SharedCredential shared = sharedHere.get();
            if (!workspaces.isMember(workspaceId, shared.ownerUserId())) {
                throw new CredentialSharerNotMemberException();
            }
            stored = credentials.findStored(shared.credentialId(), shared.ownerUserId())
                    .orElseThrow(CredentialNotFoundException::new);
        } else {
            Workspace workspace = workspaces.findById(workspaceId).orElseThrow(CredentialNotFoundException::new);
            if (!workspace.personal()) {
                throw new CredentialNotFoundException();
            }
            UUID owner = workspaces.findOwner(workspaceId).orElseThrow(CredentialNotFoundException::new);
            if (!workspaces.isMember(workspaceId, owner)) {
                throw new CredentialSharerNotMemberException();
            }
            stored = credentials.findStored(credentialId, owner).orElseThrow(CredentialNotFoundException::new);
        }
        CredentialSecret secret = cipher.open(stored);
        return new RunCredential(credentialId, secret.requestHeaders(), secret.queryParameters(), stored.origins());
    }
}
