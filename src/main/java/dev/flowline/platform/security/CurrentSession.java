package dev.flowline.platform.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotAuthorizedException;

import java.util.Optional;
import java.util.UUID;

/**
 * The signed-in caller of this request: the user id (the caller principal's name) and the hash of the session
 * token the request came with (set as a request attribute by the authentication mechanism).
 */
@RequestScoped
public class CurrentSession {

    /** Request attribute holding the SHA-256 hash of the presented session token. */
    public static final String TOKEN_HASH_ATTRIBUTE = "dev.flowline.session.tokenHash";

    @Inject
    SecurityContext securityContext;

    @Inject
    HttpServletRequest request;

    /** The caller's user id; 401 when the request is anonymous. */
    public UUID userId() {
        return Callers.userId(securityContext.getCallerPrincipal())
                .orElseThrow(() -> new NotAuthorizedException("Bearer"));
    }

    public Optional<String> tokenHash() {
        return Optional.ofNullable((String) request.getAttribute(TOKEN_HASH_ATTRIBUTE));
    }
}
