package dev.flowline.connections.api;

import dev.flowline.connections.BrowserBinding;
import dev.flowline.connections.StartedAuthorization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.NewCookie;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

/**
 * The cookie that binds an authorization to the browser that started it ({@link BrowserBinding}): HttpOnly (no
 * script reads the nonce), {@code SameSite=Lax} (the provider's top-level redirect back is cross-site: Lax still
 * sends it there, Strict would not), {@code Secure} as the session cookie is, sent only under the callbacks' path,
 * and living as long as the state.
 */
@ApplicationScoped
public class BindingCookies {

    @Inject
    @ConfigProperty(name = "flowline.auth.cookie-secure", defaultValue = "true")
    boolean secure;

    NewCookie issue(StartedAuthorization started) {
        return new NewCookie.Builder(started.cookieName())
                .value(started.cookieValue())
                .path(started.cookiePath())
                .maxAge((int) Math.min(Integer.MAX_VALUE, started.lifetime().toSeconds()))
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.LAX)
                .build();
    }

    /** The nonce the browser sent for this state; null when it sent none. */
    static String presented(Map<String, Cookie> cookies, String state) {
        if (state == null) {
            return null;
        }
        Cookie cookie = cookies.get(BrowserBinding.cookieName(state));
        return cookie == null ? null : cookie.getValue();
    }

    /** Removes the state's cookie from the browser (Max-Age=0); same name and path as issued, or it would stay. */
    NewCookie clear(String state, String path) {
        return new NewCookie.Builder(BrowserBinding.cookieName(state))
                .value("")
                .path(path)
                .maxAge(0)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.LAX)
                .build();
    }
}
