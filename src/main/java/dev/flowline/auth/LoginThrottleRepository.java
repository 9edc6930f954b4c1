package dev.flowline.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * Login attempts per account and client address. Implemented by {@code JpaLoginThrottleRepository} on PostgreSQL
 * (one {@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING}, committed on its own before the password is hashed) and
 * by an in-memory double in tests.
 */
public interface LoginThrottleRepository {

    /**
     * Counts one attempt of {@code clientAddress} on the account, atomically: concurrent attempts each count, and
     * each sees the count its own increment produced. Answers whether the attempt may check the password (no delay
     * was running), and starts the delay {@link LoginThrottlePolicy#delayAfter} gives for the new count.
     */
    LoginAttempt recordAttempt(UUID userId, String clientAddress, Instant now, LoginThrottlePolicy policy);

    /** Forgets the attempts of this address on the account (after a successful login). */
    void forget(UUID userId, String clientAddress);

    /** Forgets every address's attempts on the account (after a password reset). */
    void forgetAll(UUID userId);

    /**
     * Deletes up to {@code limit} rows last counted before {@code before} (forgotten anyway, see
     * {@link LoginThrottlePolicy#forgetAfter}), skipping rows another transaction holds. Answers how many.
     */
    int deleteForgotten(Instant before, int limit);
}
