package dev.flowline.users;

import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Every persistent operation on user accounts. Implemented by {@code JpaUserRepository} on PostgreSQL and by
 * in-memory doubles in tests. Methods that must not race (email uniqueness, single-use tokens, billing state) are each one atomic statement or run under a row lock.
 */
public interface UserRepository {

    /** Creates the user, or answers empty when the email is taken (compared case-insensitively). */
    Optional<User> create(NewUser user, Instant now);

    Optional<User> findById(UUID userId);

    /** Case-insensitive. */
    Optional<User> findByEmail(String email);

    /** Sets the verification time once; answers false when the user is unknown or already verified. */
    boolean markEmailVerified(UUID userId, Instant at);

    void setPasswordHash(UUID userId, String passwordHash, Instant now);

    void updateName(UUID userId, String name, Instant now);

    // --- single-use emailed tokens (stored as SHA-256 hashes) ---

    /** Stores a new token and invalidates the user's earlier unconsumed tokens of the same purpose. */
    void storeToken(UUID userId, TokenPurpose purpose, String tokenHash, Instant createdAt, Instant expiresAt);

    /** When the user was last sent a token of this purpose (consumed or not), to pace repeated requests. */
    Optional<Instant> lastTokenIssuedAt(UUID userId, TokenPurpose purpose);

    /**
     * Consumes a token atomically: answers its user when the token exists for that purpose, is unexpired and
     * unused; a second call with the same token answers empty.
     */
    Optional<UUID> consumeToken(TokenPurpose purpose, String tokenHash, Instant now);

    /**
     * Like {@link #consumeToken}, but only when the token belongs to {@code userId}: a token presented by another
     * account is neither consumed nor accepted. Answers whether it was consumed.
     */
    boolean consumeTokenOf(UUID userId, TokenPurpose purpose, String tokenHash, Instant now);

    // --- settings (JSONB) ---

    Optional<JsonObject> getSettings(UUID userId);

    /**
     * Replaces the settings with {@code change(current)} under a row lock, so concurrent updates never lose each
     * other's keys. Answers the stored settings, or empty for an unknown user.
     */
    Optional<JsonObject> updateSettings(UUID userId, UnaryOperator<JsonObject> change, Instant now);

    // --- plan and billing ---

    void updatePlan(UUID userId, AccountPlan plan);

    Optional<String> getStripeCustomerId(UUID userId);

    /**
     * Stores the Stripe customer id unless one is already set (one customer per user, never two).
     * Answers the id now stored.
     */
    String setStripeCustomerId(UUID userId, String stripeCustomerId);

    Optional<UUID> findUserIdByStripeCustomerId(String stripeCustomerId);

    /** Records {@code settings.billing.pending_checkout} (session id and time) for a Checkout in progress. */
    void recordPendingCheckout(UUID userId, String checkoutSessionId, Instant at);

    /**
     * In one statement: removes {@code settings.billing.pending_checkout} and records {@code last_error} and
     * {@code last_error_at}. Answers false for an unknown user.
     */
    boolean clearPendingCheckout(UUID userId, String lastError, Instant at);
}
