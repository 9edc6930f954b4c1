package dev.flowline.workspaces;

import dev.flowline.platform.mail.OutgoingMail;
import dev.flowline.platform.mail.PublicLinks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** The emails of workspaces: invitations and ownership offers. */
@ApplicationScoped
public class WorkspaceEmails {

    @Inject
    PublicLinks links;

    OutgoingMail invitation(Invitation invitation, String inviterName, String token, Duration validFor) {
        String link = links.withToken("accept-invitation", token);
        return new OutgoingMail(invitation.email(), "You are invited to " + invitation.workspaceName() + " on Flowline", """
                Hello,

                %s invited you to the Flowline workspace "%s" as %s. To join, sign in (or sign up) with this
                email address and open this link within %d days:

                %s

                (API clients: POST /api/v1/invitations/accept, or /decline, with {"token": "%s"}.)

                If you do not want to join, ignore this email or decline.
                """.formatted(inviterName, invitation.workspaceName(), invitation.role().name().toLowerCase(),
                validFor.toDays(), link, token));
    }

    OutgoingMail ownershipOffer(OwnershipOffer offer, String offereeEmail, String offererName, Duration validFor) {
        String link = links.page("workspaces/" + offer.workspaceId());
        return new OutgoingMail(offereeEmail, "You are offered the ownership of " + offer.workspaceName() + " on Flowline", """
                Hello,

                %s offers to make you the owner of the Flowline workspace "%s". As its owner you would pay for
                its plan and any overage, and manage its members; %s would stay as an admin. Nothing changes
                unless you accept, within %d days:

                %s

                (API clients: POST /api/v1/workspaces/%s/ownership-offer/accept, or /decline.)

                If you do not want it, decline or ignore this email.
                """.formatted(offererName, offer.workspaceName(), offererName, validFor.toDays(), link,
                offer.workspaceId()));
    }
}
