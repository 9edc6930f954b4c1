package dev.flowline.connections;

import java.net.URI;
import java.util.Optional;

/**
 * One configured OAuth 2.0 provider ({@code flowline.oauth.<name>.*}). {@code authorizeParams} are extra query
 * parameters for the authorize URL that some providers need to hand out a refresh token (Google:
 * {@code access_type=offline&prompt=consent}). {@code basicAuth}: the client authenticates with HTTP Basic
 * ({@code client_secret_basic}, the method RFC 6749 requires servers to support) instead of form fields.
 * {@code apiOrigins}: where the HTTP node may send this provider's access tokens (none configured: nowhere).
 */
public record OAuthProvider(String name, URI authorizeUrl, URI tokenUrl, String clientId, String clientSecret,
                            String scopes, String authorizeParams, Optional<URI> userInfoUrl,
                            Optional<URI> revocationUrl, boolean basicAuth,
                            CredentialOrigins apiOrigins) {

    /** Never the client secret: an instance may end up in a log line. */
    @Override
    public String toString() {
        return "OAuthProvider[" + name + ", authorize=" + authorizeUrl + ", token=" + tokenUrl + "]";
    }
}
