package dev.flowline.connections;

import java.time.Instant;
import java.util.Optional;

/**
 * Authorization requests in flight ({@code oauth_authorizations}), keyed by the hash of their state. Implemented by
 * {@code connections.jpa.JpaOAuthAuthorizationRepository}.
 */
public interface OAuthAuthorizationRepository {

    void insert(String stateHash, PendingAuthorization authorization, Instant now);

    /** Deletes and answers the request (whether expired or not): a state is good for one callback only. */
    Optional<PendingAuthorization> take(String stateHash);

    int deleteExpired(Instant now, int limit);
}
