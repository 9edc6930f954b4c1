package dev.flowline.workspaces;

import java.time.Instant;

/**
 * What asking to renew (resend) an invitation did: {@code renewed} it, or found it resent too recently, resendable
 * again at {@code pacedUntil}; both null when it is no longer pending.
 */
public record InvitationRenewal(Invitation renewed, Instant pacedUntil) {

    public static InvitationRenewal of(Invitation renewed) {
        return new InvitationRenewal(renewed, null);
    }

    public static InvitationRenewal pacedUntil(Instant at) {
        return new InvitationRenewal(null, at);
    }

    public static InvitationRenewal notPending() {
        return new InvitationRenewal(null, null);
    }
}
