package dev.flowline.workflows.definition;

import java.util.Objects;

/**
 * A connection from one node to the next. {@code when} is {@code "true"} or {@code "false"} on the edges out of a
 * {@link NodeType#LOGIC_CONDITION} node (the branch it follows) and {@code null} everywhere else.
 */
public record Edge(String from, String to, String when) {

    public static final String WHEN_TRUE = "true";
    public static final String WHEN_FALSE = "false";

    public Edge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    public Edge(String from, String to) {
        this(from, to, null);
    }
}
