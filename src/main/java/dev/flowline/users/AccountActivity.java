package dev.flowline.users;

import dev.flowline.platform.json.Fields;
import dev.flowline.platform.security.Actor;

import java.util.Map;
import java.util.UUID;

/**
 * Something happened to an account: signed up, signed in (or failed to), signed out, changed or reset its password,
 * verified its email, changed its profile. Fired by {@code users} and {@code auth} inside the transaction of the change
 * (a failed sign-in inside the sign-in's transaction, which commits on a wrong password), so an observer (the audit
 * log) records it in the same commit. {@code event} is a stable name; {@code before}/{@code after} hold the fields
 * that changed, never a secret.
 */
public record AccountActivity(String event, Actor actor, UUID userId, Map<String, Object> before,
                              Map<String, Object> after) {

    public static AccountActivity signedUp(UUID userId, String email) {
        return of("account.signed_up", userId, Fields.of(), Fields.of("email", email));
    }

    public static AccountActivity signedIn(UUID userId) {
        return of("account.signed_in", userId, Fields.of(), Fields.of());
    }

    /** A wrong password for an existing account, at sign-in or when changing the password. */
    public static AccountActivity signInFailed(UUID userId, String reason) {
        return of("account.sign_in_failed", userId, Fields.of(), Fields.of("reason", reason));
    }

    public static AccountActivity signedOut(UUID userId) {
        return of("account.signed_out", userId, Fields.of(), Fields.of());
    }

    public static AccountActivity passwordChanged(UUID userId) {
        return of("account.password_changed", userId, Fields.of(), Fields.of());
    }

    /** With a reset link: the actor is whoever held the link, recorded as the account itself. */
    public static AccountActivity passwordReset(UUID userId) {
        return of("account.password_reset", userId, Fields.of(), Fields.of());
    }

    public static AccountActivity emailVerified(UUID userId) {
        return of("account.email_verified", userId, Fields.of("emailVerified", false), Fields.of("emailVerified", true));
    }

    public static AccountActivity renamed(UUID userId, String before, String after) {
        return of("account.renamed", userId, Fields.of("name", before), Fields.of("name", after));
    }

    /** Settings are the user's own JSON: only which keys a patch touched is recorded, not their values. */
    public static AccountActivity settingsChanged(UUID userId, String keys) {
        return of("account.settings_changed", userId, Fields.of(), Fields.of("keys", keys));
    }

    /** The account plan follows the user's subscription: Stripe's events change it. */
    public static AccountActivity planChanged(Actor actor, UUID userId, AccountPlan before, AccountPlan after) {
        return new AccountActivity("account.plan_changed", actor, userId, Fields.of("plan", before), Fields.of("plan", after));
    }

    private static AccountActivity of(String event, UUID userId, Map<String, Object> before, Map<String, Object> after) {
        return new AccountActivity(event, Actor.user(userId), userId, before, after);
    }
}
