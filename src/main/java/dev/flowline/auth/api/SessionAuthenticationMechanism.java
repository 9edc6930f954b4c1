package dev.flowline.auth.api;

import dev.flowline.auth.SessionService;
import dev.flowline.platform.persistence.ConnectionFailure;
import dev.flowline.platform.persistence.DatabaseAvailability;
import dev.flowline.platform.rest.Problem;
import dev.flowline.platform.rest.ProblemResponses;
import dev.flowline.platform.rest.RequestIds;
import dev.flowline.platform.rest.ServiceUnavailable;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.platform.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Jakarta Security mechanism for session tokens, from {@code Authorization: Bearer} or the session cookie.
 * No credentials: the request goes on anonymously and {@code @RolesAllowed} decides (401 on protected paths).
 * A bad bearer token: 401 problem+json at once. A stale cookie is ignored, so that it never blocks signing in again.
 * <p>
 * CSRF: a browser attaches the cookie to requests that other sites' pages make, so a state-changing request
 * (anything but GET, HEAD, OPTIONS) authenticated by the cookie must carry an {@code Origin} header of an
 * {@link AllowedOrigins allowed origin}, else it is refused with 403 before any resource runs. Browsers send
 * {@code Origin} on such requests; Bearer tokens are never sent by a browser on its own, so they need no check.
 * SameSite=Strict on the cookie is a second line, not the only one (older browsers, same-site subdomains).
 */
@ApplicationScoped
public class SessionAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    SessionService sessions;

    @Inject
    AllowedOrigins origins;

    @Inject
    DatabaseAvailability database;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        try {
            return authenticate(request, response, context);
        } catch (RuntimeException e) {
            if (database.failed(e) || ConnectionFailure.in(e)) {
                return unavailable(request, response);
            }
            throw e;
        }
    }

    private AuthenticationStatus authenticate(HttpServletRequest request, HttpServletResponse response,
                                              HttpMessageContext context) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return reject(request, response, "Use 'Authorization: Bearer <session token>'.");
            }
            String token = authorization.substring(BEARER.length()).strip();
            if (!database.available()) {
                return unavailable(request, response);
            }
            return sessions.authenticate(token)
                    .map(userId -> signIn(request, context, userId, token))
                    .orElseGet(() -> reject(request, response, "The session token is invalid, expired or signed out. Sign in again."));
        }
        Optional<String> cookie = sessionCookie(request);
        if (cookie.isPresent()) {
            if (!database.available()) {
                return unavailable(request, response);
            }
            Optional<UUID> userId = sessions.authenticate(cookie.get());
            if (userId.isPresent()) {
                if (!SAFE_METHODS.contains(request.getMethod()) && !origins.allows(request.getHeader("Origin"))) {
                    return refuseCrossOrigin(request, response);
                }
                return signIn(request, context, userId.get(), cookie.get());
            }
        }
        return context.doNothing();
    }

    private static AuthenticationStatus signIn(HttpServletRequest request, HttpMessageContext context, UUID userId,
                                               String token) {
        request.setAttribute(CurrentSession.TOKEN_HASH_ATTRIBUTE, OpaqueTokens.hash(token));
        return context.notifyContainerAboutLogin(new CallerPrincipal(userId.toString()), Set.of(Roles.USER));
    }

    private static Optional<String> sessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (SessionCookies.NAME.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isBlank()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** Written here because {@code responseUnauthorized()} would send the container's HTML page. */
    private static AuthenticationStatus reject(HttpServletRequest request, HttpServletResponse response, String detail) {
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return send(request, response, Problem.of("invalid-session", "Invalid session", 401, detail));
    }

    /** The session cannot be looked up while the database is unreachable: 503, try again (not 401, sign in again). */
    private static AuthenticationStatus unavailable(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Retry-After", String.valueOf(DatabaseAvailability.RETRY_AFTER_SECONDS));
        return send(request, response, ServiceUnavailable.problem());
    }

    private static AuthenticationStatus refuseCrossOrigin(HttpServletRequest request, HttpServletResponse response) {
        return send(request, response, Problem.of("cross-origin-request", "Cross-origin request refused", 403,
                "A request that changes something and is authenticated by the session cookie must come from an allowed"
                        + " origin (Origin header). API clients send 'Authorization: Bearer <token>' instead."));
    }

    /** Sent before the servlet filters run: the request id is assigned here ({@link RequestIds}). */
    private static AuthenticationStatus send(HttpServletRequest request, HttpServletResponse response, Problem problem) {
        problem = problem.withRequestId(RequestIds.of(request, response));
        request.setAttribute(Problem.REQUEST_ATTRIBUTE, problem); // WildFly answers again through the error page
        try {
            response.setStatus(problem.status());
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(ProblemResponses.json(problem));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}
