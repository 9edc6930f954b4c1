package dev.flowline.workflows.definition;

import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.List;
import java.util.Optional;

/**
 * A workflow's graph. Instances that come out of {@link DefinitionValidator#validate} satisfy every rule (one
 * trigger, acyclic, all nodes reachable, valid params); the constructor itself only copies, so tests and the
 * engine can build small graphs directly.
 */
public record WorkflowDefinition(List<Node> nodes, List<Edge> edges) {

    public WorkflowDefinition {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** The node that starts a run. */
    public Node trigger() {
        return nodes.stream().filter(node -> node.type().isTrigger()).findFirst()
                .orElseThrow(() -> new IllegalStateException("The definition has no trigger node."));
    }

    public Optional<Node> node(String id) {
        return nodes.stream().filter(node -> node.id().equals(id)).findFirst();
    }

    /** The edges leaving {@code id}, in definition order. */
    public List<Edge> edgesFrom(String id) {
        return edges.stream().filter(edge -> edge.from().equals(id)).toList();
    }

    /** The canonical JSON form: {@code params} on every node, {@code when} only on the edges that have one. */
    public JsonObject toJson() {
        JsonArrayBuilder nodesJson = Jsons.createArrayBuilder();
        for (Node node : nodes) {
            nodesJson.add(Jsons.createObjectBuilder()
                    .add("id", node.id())
                    .add("type", node.type().wireName())
                    .add("params", node.params()));
        }
        JsonArrayBuilder edgesJson = Jsons.createArrayBuilder();
        for (Edge edge : edges) {
            JsonObjectBuilder edgeJson = Jsons.createObjectBuilder().add("from", edge.from()).add("to", edge.to());
            if (edge.when() != null) {
                edgeJson.add("when", edge.when());
            }
            edgesJson.add(edgeJson);
        }
        return Jsons.createObjectBuilder().add("nodes", nodesJson).add("edges", edgesJson).build();
    }
}
