package dev.flowline.connections;

import java.net.URI;
import java.time.Duration;

/**
 * What {@link OAuthFlow#begin} hands the browser: the provider's authorize URL, and the cookie that binds the
 * authorization to this browser ({@link BrowserBinding}): its name, its value (the nonce), the path it must be sent
 * back to (the callbacks' common prefix) and its lifetime (the state's).
 */
public record StartedAuthorization(URI authorizeUrl, String cookieName, String cookieValue, String cookiePath,
                                   Duration lifetime) {

    /** Never the nonce, nor the state in the URL. */
    @Override
    public String toString() {
        return "StartedAuthorization[cookie=" + cookieName + ", path=" + cookiePath + "]";
    }
}
