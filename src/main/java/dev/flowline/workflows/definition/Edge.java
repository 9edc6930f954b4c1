package dev.flowline.workflows.definition;

import java.util.Objects;

/**
 * A connection from one node to the next. {@code when} is the branch it follows: {@code "true"} or {@code "false"} on
 * the edges out of a {@link NodeType#LOGIC_CONDITION} node, {@code "case:<name>"} or {@code "default"} on those out
 * of a {@link NodeType#LOGIC_SWITCH} node, {@code "resumed"}, {@code "timeout"} or {@code null} (either way) on those out
 * of a {@link NodeType#FLOW_WAIT} node, and {@code null} everywhere else.
 */
public record Edge(String from, String to, String when) {

    public static final String WHEN_TRUE = "true";
    public static final String WHEN_FALSE = "false";
    /** Prefix of a switch case's branch: {@code "case:high"}. */
    public static final String WHEN_CASE = "case:";
    /** The branch of a switch when no case matched. */
    public static final String WHEN_DEFAULT = "default";
    /** The branch of a wait whose resume URL was called. */
    public static final String WHEN_RESUMED = "resumed";
    /** The branch of a wait whose timeout passed first. */
    public static final String WHEN_TIMEOUT = "timeout";

    public Edge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    public Edge(String from, String to) {
        this(from, to, null);
    }
}
