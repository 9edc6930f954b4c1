package dev.flowline.connections;

import dev.flowline.platform.errors.AccessDeniedException;
import dev.flowline.platform.errors.ConflictException;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.PaymentRequiredException;
import dev.flowline.platform.errors.PreconditionFailedException;
import dev.flowline.platform.errors.ResourceNotFoundException;

import java.util.List;

/** The typed errors of connections, the OAuth flow, credentials that are not OAuth, and sharing. */
public final class ConnectionErrors {

    private ConnectionErrors() {
    }

    public static final class UnknownProviderException extends ResourceNotFoundException {
        public UnknownProviderException(String provider) {
            super("No OAuth provider '" + provider + "' is configured on this installation.");
        }
    }

    /** 404 for a connection that is not the caller's too, so ids reveal nothing. */
    public static final class ConnectionNotFoundException extends ResourceNotFoundException {
        public ConnectionNotFoundException() {
            super("No such connection.");
        }
    }

    /** The callback's state is unknown, already used, expired, or was issued for another provider. */
    public static final class InvalidStateException extends InvalidInputException {
        public InvalidStateException(String detail) {
            super("invalid-oauth-state", "Invalid authorization state", detail, List.of());
        }
    }

    /**
     * The callback came from a browser without the binding cookie of this state (or with another value): the
     * authorization was started elsewhere, e.g. an attacker's authorize URL sent to someone else (RFC 9700 4.7.1).
     */
    public static final class NotFromThisBrowserException extends InvalidInputException {
        public NotFromThisBrowserException() {
            super("authorization-not-from-this-browser", "Authorization started in another browser",
                    "This authorization was not started in this browser (its cookie is missing or does not match)."
                            + " Nothing was stored. Start the connection again from this browser, while signed in.",
                    List.of());
        }
    }

    /** The provider answered the callback with an error (the user declined, a misconfigured client...). */
    public static final class ProviderDeniedException extends InvalidInputException {
        public ProviderDeniedException(String error) {
            super("oauth-provider-error", "The provider refused the authorization",
                    "The provider answered '" + error + "'. Nothing was stored; start the connection again.",
                    List.of());
        }
    }

    public static final class MissingCodeException extends InvalidInputException {
        public MissingCodeException() {
            super("oauth-code-missing", "Authorization code missing",
                    "The callback carries no authorization code. Nothing was stored; start the connection again.",
                    List.of());
        }
    }

    /** The provider's token endpoint refused the code or the refresh token (RFC 6749 error answer). */
    public static final class GrantRejectedException extends InvalidInputException {
        public GrantRejectedException(String detail) {
            super("oauth-grant-rejected", "The provider refused the grant", detail, List.of());
        }
    }

    /** The provider could not be reached or answered unusably: worth trying again later. */
    public static final class ProviderUnavailableException extends FlowlineException {
        public ProviderUnavailableException(String detail) {
            super("oauth-provider-unavailable", "The provider is unavailable", detail);
        }

        @Override
        public int status() {
            return 502;
        }
    }

    /** A personal token the caller does not own, or a token that is not personal. */
    public static final class NotYourConnectionException extends AccessDeniedException {
        public NotYourConnectionException() {
            super("not-your-connection", "Not your connection",
                    "Only the owner of a personal connection can use or share it.");
        }
    }

    /** The member who shared the connection is no longer in the workspace (checked on every use). */
    public static final class SharerNotMemberException extends AccessDeniedException {
        public SharerNotMemberException() {
            super("sharer-not-a-member", "Sharer left",
                    "The member who shared this connection is no longer in the workspace.");
        }
    }

    public static final class SharingNotInPlanException extends PaymentRequiredException {
        public SharingNotInPlanException() {
            super("shared-connections-not-in-plan", "Not in this plan",
                    "This workspace's plan does not include shared connections.");
        }
    }

    public static final class AlreadySharedException extends ConflictException {
        public AlreadySharedException() {
            super("connection-already-shared", "Already shared",
                    "This connection is already shared into this workspace.");
        }
    }

    public static final class NotTheSharerException extends AccessDeniedException {
        public NotTheSharerException() {
            super("not-the-sharer", "Not the sharer",
                    "Only the member who shared a connection, or an admin, can remove it from the workspace.");
        }
    }

    /** The provider refused to refresh the token: the user must connect the account again. */
    public static final class ReauthorizationRequiredException extends ConflictException {
        public ReauthorizationRequiredException() {
            super("reauthorization-required", "Connect the account again",
                    "This connection must be authorized again: the provider no longer accepts its refresh token.");
        }
    }

    // --- credentials that are not OAuth ---

    /** 404 for a credential that is not the caller's (or not in the workspace) too, so ids reveal nothing. */
    public static final class CredentialNotFoundException extends ResourceNotFoundException {
        public CredentialNotFoundException() {
            super("No such credential.");
        }
    }

    public static final class NotYourCredentialException extends AccessDeniedException {
        public NotYourCredentialException() {
            super("not-your-credential", "Not your credential", "Only the owner of a credential can share it.");
        }
    }

    /** The member who shared the credential is no longer in the workspace (checked on every use). */
    public static final class CredentialSharerNotMemberException extends AccessDeniedException {
        public CredentialSharerNotMemberException() {
            super("credential-sharer-not-a-member", "Sharer left",
                    "The member who shared this credential is no longer in the workspace.");
        }
    }

    public static final class CredentialAlreadySharedException extends ConflictException {
        public CredentialAlreadySharedException() {
            super("credential-already-shared", "Already shared",
                    "This credential is already shared into this workspace.");
        }
    }

    public static final class NotTheCredentialSharerException extends AccessDeniedException {
        public NotTheCredentialSharerException() {
            super("not-the-credential-sharer", "Not the sharer",
                    "Only the member who shared a credential, or an admin, can remove it from the workspace.");
        }
    }

    public static final class TooManyCredentialsException extends ConflictException {
        public TooManyCredentialsException(int limit) {
            super("credential-limit", "Too many credentials",
                    "A user keeps at most " + limit + " credentials; delete one first.");
        }
    }

    public static final class StaleCredentialException extends PreconditionFailedException {
        public StaleCredentialException() {
            super("stale-version", "Stale version", "The credential changed since you read it (If-Match). Read it again.");
        }
    }
}
