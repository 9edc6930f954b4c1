package dev.flowline.workspaces;

/** Stored state of an invitation. A pending invitation past its expiry is reported as expired. */
public enum InvitationStatus {
    PENDING,
    ACCEPTED,
    DECLINED,
    REVOKED
}
