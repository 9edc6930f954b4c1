package dev.flowline.workflows.definition;

import dev.flowline.platform.errors.InvalidInputException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the JSON definition a client sent into a {@link WorkflowDefinition}, or refuses it with every problem at
 * once. Field names point at the place: {@code definition.nodes[greet].params.url} (a node by its id),
 * {@code definition.nodes[3].id} (by index when the id itself is unusable), {@code definition.edges[2].to},
 * and {@code definition} for whole-graph problems.
 */
public final class DefinitionValidator {

    public static final int MAX_NODES = 100;
    public static final int MAX_EDGES = 500;

    private static final String ROOT = "definition";
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final List<String> TOP_LEVEL_KEYS = List.of("nodes", "edges");
    private static final List<String> NODE_KEYS = List.of("id", "type", "params");
    private static final List<String> EDGE_KEYS = List.of("from", "to", "when");

    /** A node as far as it could be read; {@code field} is where its problems are reported. */
    private record NodeEntry(String id, String field, NodeType type, JsonObject params) {
    }

    private final int maxTemplatesPerNode;
    private final Problems problems = new Problems();
    private final FieldReader reader = new FieldReader(problems);
    private final List<NodeEntry> nodes = new ArrayList<>();
    // First node of each string id: what edges and templates may refer to. Null when the nodes are unreadable.
    private Map<String, NodeEntry> nodesById;
    private final List<Edge> edges = new ArrayList<>();
    private final List<GraphRules.Link> links = new ArrayList<>();

    private DefinitionValidator(int maxTemplatesPerNode) {
        this.maxTemplatesPerNode = maxTemplatesPerNode;
    }

    /**
     * Without a cap on template expressions per node: for definitions already stored (the engine counts them again
     * while it expands them).
     *
     * @throws InvalidInputException naming every problem found
     */
    public static WorkflowDefinition validate(JsonValue json) {
        return validate(json, Integer.MAX_VALUE);
    }

    /**
     * For a definition being saved: also refuses a node with more than {@code maxTemplatesPerNode} template
     * expressions in its params ({@code flowline.engine.max-templates-per-node}).
     *
     * @throws InvalidInputException naming every problem found
     */
    public static WorkflowDefinition validate(JsonValue json, int maxTemplatesPerNode) {
        DefinitionValidator validator = new DefinitionValidator(maxTemplatesPerNode);
        validator.read(json);
        validator.problems.throwIfAny();
        return validator.definition();
    }

    private void read(JsonValue json) {
        if (!(json instanceof JsonObject root)) {
            problems.add(ROOT, json == null ? "is required" : "must be a JSON object");
            return;
        }
        reader.refuseUnknown(root, TOP_LEVEL_KEYS, ROOT, "is not a property of a definition (allowed: nodes, edges)");
        JsonArray nodesJson = reader.array(root, "nodes", ROOT + ".nodes", true);
        // Absent edges are no edges: a definition of a lone trigger needs none.
        JsonArray edgesJson = root.containsKey("edges")
                ? reader.array(root, "edges", ROOT + ".edges", false) : JsonValue.EMPTY_JSON_ARRAY;
        // Past the limits, entries are not inspected: that bounds the work and the length of the answer.
        if (nodesJson != null && nodesJson.isEmpty()) {
            problems.add(ROOT + ".nodes", "must have at least one node");
        } else if (nodesJson != null && withinLimit(nodesJson, ROOT + ".nodes", MAX_NODES, "nodes")) {
            readNodes(nodesJson);
        }
        boolean edgesRead = edgesJson != null && withinLimit(edgesJson, ROOT + ".edges", MAX_EDGES, "edges");
        if (edgesRead) {
            readEdges(edgesJson);
        }
        if (nodesById != null) {
            checkParams();
            checkTriggerCount();
            if (edgesRead) {
                checkGraph();
            }
        }
    }

    private boolean withinLimit(JsonArray array, String field, int max, String what) {
        if (array.size() > max) {
            problems.add(field, "must have at most " + max + " " + what + " (has " + array.size() + ")");
            return false;
        }
        return true;
    }

    private void readNodes(JsonArray nodesJson) {
        nodesById = new LinkedHashMap<>();
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < nodesJson.size(); i++) {
            String at = ROOT + ".nodes[" + i + "]";
            if (!(nodesJson.get(i) instanceof JsonObject node)) {
                problems.add(at, "must be an object");
                continue;
            }
            String id = reader.string(node, "id", at + ".id", true);
            boolean usableId = false;
            if (id != null && !NODE_ID.matcher(id).matches()) {
                problems.add(at + ".id", "must be 1 to 64 letters, digits, '_' or '-'");
            } else if (id != null && indexById.containsKey(id)) {
                problems.add(at + ".id", "duplicates the id of " + ROOT + ".nodes[" + indexById.get(id) + "]");
            } else {
                usableId = id != null;
            }
            String field = usableId ? ROOT + ".nodes[" + id + "]" : at;
            reader.refuseUnknown(node, NODE_KEYS, field, "is not a property of a node (allowed: id, type, params)");
            NodeEntry entry = new NodeEntry(id, field, readType(node, field), readParams(node, field));
            nodes.add(entry);
            // A malformed but unique id still names the node, so edges to it do not add a second complaint.
            if (id != null && !indexById.containsKey(id)) {
                indexById.put(id, i);
                nodesById.put(id, entry);
            }
        }
    }

    private NodeType readType(JsonObject node, String field) {
        String wireName = reader.string(node, "type", field + ".type", true);
        if (wireName == null) {
            return null;
        }
        return NodeType.fromWireName(wireName).orElseGet(() -> {
            problems.add(field + ".type", "is not a known node type (known: " + NodeType.wireNames() + ")");
            return null;
        });
    }

    private JsonObject readParams(JsonObject node, String field) {
        if (!node.containsKey("params")) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        return reader.object(node, "params", field + ".params", false);
    }

    private void readEdges(JsonArray edgesJson) {
        Map<List<String>, Integer> seen = new HashMap<>();
        for (int i = 0; i < edgesJson.size(); i++) {
            String at = ROOT + ".edges[" + i + "]";
            if (!(edgesJson.get(i) instanceof JsonObject edge)) {
                problems.add(at, "must be an object");
                continue;
            }
            reader.refuseUnknown(edge, EDGE_KEYS, at, "is not a property of an edge (allowed: from, to, when)");
            String from = endpoint(edge, "from", at);
            String to = endpoint(edge, "to", at);
            boolean linked = from != null && to != null;
            if (linked && from.equals(to)) {
                problems.add(at, "connects node '" + from + "' to itself");
                linked = false;
            }
            Branch branch = readWhen(edge, from, at);
            if (!linked) {
                continue;
            }
            // A bad branch or a duplicate still shows the graph's shape: keeping the link spares the nodes
            // behind it a second, misleading "not reachable" problem.
            links.add(new GraphRules.Link(i, from, to));
            if (!branch.valid()) {
                continue;
            }
            Integer earlier = seen.putIfAbsent(Arrays.asList(from, to, branch.when()), i);
            if (earlier != null) {
                problems.add(at, "duplicates " + ROOT + ".edges[" + earlier + "]");
                continue;
            }
            edges.add(new Edge(from, to, branch.when()));
        }
    }

    /** The id at {@code from} or {@code to}, or null when it is missing or names no node. */
    private String endpoint(JsonObject edge, String key, String at) {
        String id = reader.string(edge, key, at + "." + key, true);
        if (id != null && nodesById != null && !nodesById.containsKey(id)) {
            problems.add(at + "." + key, "names no node: '" + id + "'");
            return null;
        }
        return id;
    }

    /** The {@code when} of an edge: a branch out of a condition, switch or wait; null on every other edge. */
    private record Branch(String when, boolean valid) {
        static final Branch NONE = new Branch(null, true);
        static final Branch INVALID = new Branch(null, false);
    }

    private Branch readWhen(JsonObject edge, String from, String at) {
        JsonValue when = edge.get("when");
        NodeEntry source = from == null || nodesById == null ? null : nodesById.get(from);
        NodeType sourceType = source == null ? null : source.type();
        if (sourceType == NodeType.LOGIC_CONDITION) {
            if (when == null) {
                problems.add(at + ".when", "is required on an edge out of logic.condition node '" + from
                        + "' (\"true\" or \"false\")");
                return Branch.INVALID;
            }
            if (when instanceof JsonString branch
                    && (branch.getString().equals(Edge.WHEN_TRUE) || branch.getString().equals(Edge.WHEN_FALSE))) {
                return new Branch(branch.getString(), true);
            }
            problems.add(at + ".when", "must be \"true\" or \"false\" (a string)");
            return Branch.INVALID;
        }
        if (sourceType == NodeType.LOGIC_SWITCH) {
            return switchBranch(when, from, ParamsValidator.caseNames(source.params()), at + ".when");
        }
        if (sourceType == NodeType.FLOW_WAIT) {
            // no when: followed whichever way the wait ended
            if (when == null) {
                return Branch.NONE;
            }
            if (when instanceof JsonString branch
                    && (branch.getString().equals(Edge.WHEN_RESUMED) || branch.getString().equals(Edge.WHEN_TIMEOUT))) {
                return new Branch(branch.getString(), true);
            }
            problems.add(at + ".when", "must be \"" + Edge.WHEN_RESUMED + "\" or \"" + Edge.WHEN_TIMEOUT
                    + "\" (a string) on an edge out of flow.wait node '" + from + "', or absent (followed either way)");
            return Branch.INVALID;
        }
        if (sourceType != null && when != null) {
            problems.add(at + ".when", "is only allowed on edges out of a logic.condition, logic.switch or flow.wait"
                    + " node");
            return Branch.INVALID;
        }
        return Branch.NONE;
    }

    /** An edge out of a switch names one of its cases ({@code "case:<name>"}) or {@code "default"}. */
    private Branch switchBranch(JsonValue when, String from, Optional<List<String>> cases, String field) {
        String expected = "\"case:<name>\" naming a case of logic.switch node '" + from + "'"
                + cases.filter(names -> !names.isEmpty()).map(names -> " (" + String.join(", ", names) + ")").orElse("")
                + ", or \"" + Edge.WHEN_DEFAULT + "\"";
        if (when == null) {
            problems.add(field, "is required on an edge out of logic.switch node '" + from + "': " + expected);
            return Branch.INVALID;
        }
        if (when instanceof JsonString branch) {
            String text = branch.getString();
            if (text.equals(Edge.WHEN_DEFAULT)) {
                return new Branch(text, true);
            }
            if (text.startsWith(Edge.WHEN_CASE)) {
                String name = text.substring(Edge.WHEN_CASE.length());
                // Unreadable cases are reported on the node; the edge is then not judged by them.
                if (cases.isEmpty() || cases.get().contains(name)) {
                    return new Branch(text, true);
                }
            }
        }
        problems.add(field, "must be " + expected);
        return Branch.INVALID;
    }

    private void checkParams() {
        Set<String> waits = new LinkedHashSet<>();
        nodesById.forEach((id, node) -> {
            if (node.type() == NodeType.FLOW_WAIT) {
                waits.add(id);
            }
        });
        TemplateChecker templates = new TemplateChecker(nodesById.keySet(), waits, problems, maxTemplatesPerNode);
        ParamsValidator params = new ParamsValidator(reader, templates);
        for (NodeEntry node : nodes) {
            if (node.type() != null && node.params() != null) {
                templates.startNode(node.type() == NodeType.HTTP_REQUEST);
                params.validate(node.type(), node.params(), node.field() + ".params");
            }
        }
    }

    private void checkTriggerCount() {
        List<String> triggers = nodes.stream()
                .filter(node -> node.type() != null && node.type().isTrigger())
                .map(node -> node.id() != null ? node.id() : node.field())
                .toList();
        if (triggers.isEmpty()) {
            problems.add(ROOT, "must have exactly one trigger node (trigger.manual, trigger.schedule or "
                    + "trigger.webhook); it has none");
        } else if (triggers.size() > 1) {
            problems.add(ROOT, "must have exactly one trigger node; it has " + triggers.size() + ": "
                    + String.join(", ", triggers));
        }
    }

    private void checkGraph() {
        Map<String, String> nodeFields = new LinkedHashMap<>();
        Set<String> triggerIds = new LinkedHashSet<>();
        nodesById.forEach((id, node) -> {
            nodeFields.put(id, node.field());
            if (node.type() != null && node.type().isTrigger()) {
                triggerIds.add(id);
            }
        });
        new GraphRules(problems).check(nodeFields, triggerIds, links);
        checkMerges();
    }

    /** A merge joins branches: with fewer than two edges into it there is nothing to join. */
    private void checkMerges() {
        nodesById.forEach((id, node) -> {
            long incoming = links.stream().filter(link -> link.to().equals(id)).count();
            if (node.type() == NodeType.FLOW_MERGE && incoming < 2) {
                problems.add(node.field(), "is a flow.merge with " + incoming + " incoming edge"
                        + (incoming == 1 ? "" : "s") + "; a merge joins at least two branches");
            }
        });
    }

    /** Only called when there were no problems: every entry is then complete. */
    private WorkflowDefinition definition() {
        return new WorkflowDefinition(
                nodes.stream().map(node -> new Node(node.id(), node.type(), node.params())).toList(), edges);
    }
}
