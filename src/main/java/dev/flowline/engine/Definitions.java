package dev.flowline.engine;

import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workflows.WorkflowVersion;
import dev.flowline.workflows.definition.DefinitionValidator;
import dev.flowline.workflows.definition.Edge;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.WorkflowDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Parsed workflow versions and their node order. Versions never change once saved, so each is read and parsed
 * once per instance (a bounded cache), not once per run.
 */
@ApplicationScoped
public class Definitions {

    private static final int CACHED_VERSIONS = 1_000;

    private record Key(UUID workflowId, int version) {
    }

    /** A version's graph and its nodes in an order where every node comes after those with an edge to it. */
    public record Plan(WorkflowDefinition definition, List<Node> order) {
    }

    @Inject
    WorkflowRepository workflows;

    private final Map<Key, Plan> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Plan> eldest) {
            return size() > CACHED_VERSIONS;
        }
    });

    public Plan of(UUID workflowId, int version) {
        Key key = new Key(workflowId, version);
        Plan parsed = cache.get(key);
        if (parsed == null) {
            WorkflowVersion stored = workflows.findVersion(workflowId, version).orElseThrow(
                    () -> new IllegalStateException("Workflow " + workflowId + " has no version " + version));
            WorkflowDefinition definition = DefinitionValidator.validate(stored.definition());
            parsed = new Plan(definition, topological(definition));
            cache.put(key, parsed);
        }
        return parsed;
    }

    /** Kahn's algorithm; definition order breaks ties, so the walk is the same on every instance. */
    static List<Node> topological(WorkflowDefinition definition) {
        Map<String, Integer> incoming = new HashMap<>();
        definition.nodes().forEach(node -> incoming.put(node.id(), 0));
        for (Edge edge : definition.edges()) {
            incoming.merge(edge.to(), 1, Integer::sum);
        }
        Deque<Node> ready = new ArrayDeque<>();
        definition.nodes().stream().filter(node -> incoming.get(node.id()) == 0).forEach(ready::add);
        List<Node> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            order.add(node);
            for (Edge edge : definition.edgesFrom(node.id())) {
                if (incoming.merge(edge.to(), -1, Integer::sum) == 0) {
                    ready.add(definition.node(edge.to()).orElseThrow());
                }
            }
        }
        return order;
    }
}
