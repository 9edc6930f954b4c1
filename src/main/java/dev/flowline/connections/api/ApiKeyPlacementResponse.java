package dev.flowline.connections.api;


/** Where an api-key credential's key goes: a header or a query parameter, and its name. Never the key. */
public record ApiKeyPlacementResponse(String in, String name) {
}
