package dev.flowline.connections.api;

/** Where to send the user's browser to authorize the connection (also in the {@code Location} header). */
public record AuthorizationResponse(String authorizeUrl) {
}
