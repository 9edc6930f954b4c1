package dev.flowline.auth.api;

import dev.flowline.auth.AuthSettings;
import dev.flowline.auth.IssuedSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;

import java.time.Clock;
import java.time.Duration;

/**
 * The session cookie for browser clients: HttpOnly (no script reads it) and SameSite=Strict (no cross-site
 * request carries it). The CSRF defence does not rest on SameSite alone: unsafe requests authenticated by this
 * cookie must also come from an allowed Origin ({@link SessionAuthenticationMechanism}).
 */
@ApplicationScoped
public class SessionCookies {

    public static final String NAME = "flowline_session";

    @Inject
    AuthSettings settings;

    @Inject
    Clock clock;

    NewCookie issue(IssuedSession session) {
        long maxAge = Math.max(0, Duration.between(clock.instant(), session.expiresAt()).toSeconds());
        return base(session.token()).maxAge((int) Math.min(Integer.MAX_VALUE, maxAge)).build();
    }

    NewCookie clear() {
        return base("").maxAge(0).build();
    }

    private NewCookie.Builder base(String value) {
        return new NewCookie.Builder(NAME)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(settings.cookieSecure())
                .sameSite(NewCookie.SameSite.STRICT);
    }
}
