package dev.flowline.engine.nodes;

import java.util.UUID;
import java.util.function.Function;

/**
 * What templates know of the run itself: {@code {{run.id}}} and {@code {{run.resumeUrls.<waitNodeId>}}}, the resume
 * URL of a {@code flow.wait} node, computed when asked (it is derived, and a secret: never kept in a context's data).
 */
public record RunVariables(UUID id, Function<String, String> resumeUrl) {
}
