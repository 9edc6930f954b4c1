package dev.flowline.connections.api;

import java.util.List;

/** The OAuth providers this installation is configured for. */
public record ProvidersResponse(List<String> providers) {
}
