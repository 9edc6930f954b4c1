package dev.flowline.connections.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where an api-key credential's key goes: a header or a query parameter, and its name. Never the key. */
public record ApiKeyPlacementResponse(@Schema(enumeration = {"header", "query"}) String in, String name) {
}
