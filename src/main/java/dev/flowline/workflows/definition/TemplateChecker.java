package dev.flowline.workflows.definition;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the templates inside parameter strings, written <code>{{path}}</code>: every opening pair of braces is
 * closed, the path is dotted under {@code input} or {@code nodes.<nodeId>}, and that node exists in the definition;
 * or it is one of the run's names: {@code run.id}, or {@code run.resumeUrls.<waitNodeId>} (the resume URL of a
 * {@code flow.wait} node of the definition), the latter only in an {@code http.request} node's params: the URL is a
 * secret, which an http.request step records redacted, while another node's output would keep it in clear.
 * A closing pair with no opening is plain text, because JSON written into a string ends that way
 * (<code>{"a":{"b":1}}</code>).
 * <p>
 * It also counts a node's template expressions (call {@link #startNode} before each node's params): past
 * {@code maxPerNode} the field where the count went over is refused once, naming the setting the engine enforces
 * again at run time.
 */
final class TemplateChecker {

    static final String OPEN = "{{";
    static final String CLOSE = "}}";
    static final String MAX_PER_NODE_SETTING = "flowline.engine.max-templates-per-node";
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private final Set<String> nodeIds;
    private final Set<String> waitNodeIds;
    private final Problems problems;
    private final int maxPerNode;
    private int count;
    private boolean resumeUrlsAllowed = true;

    TemplateChecker(Set<String> nodeIds, Problems problems) {
        this(nodeIds, Set.of(), problems, Integer.MAX_VALUE);
    }

    TemplateChecker(Set<String> nodeIds, Set<String> waitNodeIds, Problems problems, int maxPerNode) {
        this.nodeIds = nodeIds;
        this.waitNodeIds = waitNodeIds;
        this.problems = problems;
        this.maxPerNode = maxPerNode;
    }

    /**
     * The templates checked from now on are another node's; {@code resumeUrlsAllowed}: whether its params may use
     * {@code run.resumeUrls} (an http.request node's).
     */
    void startNode(boolean resumeUrlsAllowed) {
        count = 0;
        this.resumeUrlsAllowed = resumeUrlsAllowed;
    }

    /** Checks every string inside {@code value} (object keys are names, not templates). */
    void checkAll(JsonValue value, String field) {
        if (value instanceof JsonString string) {
            check(string.getString(), field);
        } else if (value instanceof JsonObject object) {
            object.forEach((key, member) -> checkAll(member, field + "." + key));
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                checkAll(array.get(i), field + "[" + i + "]");
            }
        }
    }

    /** Answers whether the template syntax is sound (unknown nodes are reported but do not count). */
    boolean check(String text, String field) {
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            if (open < 0) {
                return true;
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                problems.add(field, "has a '{{' without a closing '}}'");
                return false;
            }
            int nested = text.indexOf(OPEN, open + OPEN.length());
            if (nested >= 0 && nested < close) {
                problems.add(field, "has a '{{' inside a template (templates do not nest)");
                return false;
            }
            if (++count == maxPerNode + 1) {
                problems.add(field, "has more template expressions than the " + maxPerNode
                        + " a node may have (" + MAX_PER_NODE_SETTING + ")");
            }
            if (!checkExpression(text.substring(open + OPEN.length(), close).strip(), field)) {
                return false;
            }
            from = close + CLOSE.length();
        }
    }

    private boolean checkExpression(String path, String field) {
        String template = OPEN + path + CLOSE;
        if (!PATH.matcher(path).matches()) {
            problems.add(field, "has an invalid template " + template
                    + " (expected {{input.path}} or {{nodes.<nodeId>.path}})");
            return false;
        }
        String[] segments = path.split("\\.");
        switch (segments[0]) {
            case "input" -> {
                return true;
            }
            case "nodes" -> {
                if (segments.length < 2) {
                    problems.add(field, "has a template " + template + " that names no node");
                    return false;
                }
                if (!nodeIds.contains(segments[1])) {
                    problems.add(field, "refers to node '" + segments[1] + "', which is not in the definition");
                }
                return true;
            }
            case "run" -> {
                return checkRunName(segments, template, field);
            }
            default -> {
                problems.add(field, "has a template " + template + " that starts with neither 'input', 'nodes' nor"
                        + " 'run'");
                return false;
            }
        }
    }

    /** {@code run.id}, or {@code run.resumeUrls.<id>} of a flow.wait node where resume URLs may go. */
    private boolean checkRunName(String[] segments, String template, String field) {
        if (segments.length == 2 && segments[1].equals("id")) {
            return true;
        }
        if (segments.length == 3 && segments[1].equals("resumeUrls")) {
            if (!waitNodeIds.contains(segments[2])) {
                problems.add(field, "has a template " + template + " naming node '" + segments[2]
                        + "', which is not a flow.wait node of the definition");
            } else if (!resumeUrlsAllowed) {
                problems.add(field, "has a template " + template + ", which only an http.request node may use:"
                        + " a resume URL is a secret, and another node's output would keep it in clear");
            }
            return true;
        }
        problems.add(field, "has a template " + template + " naming nothing the run has (known: {{run.id}},"
                + " {{run.resumeUrls.<nodeId>}} of a flow.wait node)");
        return false;
    }
}
