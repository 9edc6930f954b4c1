package dev.flowline.workflows.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole-graph rules, run on the nodes and edges that were readable: nothing leads into a trigger, no cycles
 * (a run must end), and every node is reachable from the trigger (else it could never run).
 */
final class GraphRules {

    /** A readable edge between two distinct existing nodes; {@code index} is its place in {@code edges}. */
    record Link(int index, String from, String to) {
    }

    private final Problems problems;

    GraphRules(Problems problems) {
        this.problems = problems;
    }

    /**
     * @param nodeFields every node id, in definition order, with the field name its problems are reported under
     * @param triggerIds the ids of the trigger nodes among them
     */
    void check(Map<String, String> nodeFields, Set<String> triggerIds, List<Link> links) {
        Map<String, List<String>> successors = new LinkedHashMap<>();
        nodeFields.keySet().forEach(id -> successors.put(id, new ArrayList<>()));
        for (Link link : links) {
            successors.get(link.from()).add(link.to());
            if (triggerIds.contains(link.to())) {
                problems.add("definition.edges[" + link.index() + "].to",
                        "leads to trigger node '" + link.to() + "'; a trigger has no incoming edges");
            }
        }
        List<String> cycle = findCycle(successors);
        if (!cycle.isEmpty()) {
            problems.add("definition", "has a cycle: " + String.join(" -> ", cycle));
        }
        if (triggerIds.size() == 1) {
            String trigger = triggerIds.iterator().next();
            Set<String> reached = reachableFrom(trigger, successors);
            nodeFields.forEach((id, field) -> {
                if (!reached.contains(id)) {
                    problems.add(field, "is not reachable from trigger node '" + trigger + "'");
                }
            });
        }
    }

    /** One cycle as a closed path (first node repeated at the end), or empty. Iterative: no deep recursion. */
    static List<String> findCycle(Map<String, List<String>> successors) {
        Set<String> done = new HashSet<>();
        for (String start : successors.keySet()) {
            if (done.contains(start)) {
                continue;
            }
            List<String> path = new ArrayList<>(List.of(start));
            Set<String> onPath = new HashSet<>(path);
            Deque<Iterator<String>> pending = new ArrayDeque<>();
            pending.push(successors.get(start).iterator());
            while (!pending.isEmpty()) {
                Iterator<String> next = pending.peek();
                if (!next.hasNext()) {
                    pending.pop();
                    String finished = path.remove(path.size() - 1);
                    onPath.remove(finished);
                    done.add(finished);
                    continue;
                }
                String node = next.next();
                if (onPath.contains(node)) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
                    cycle.add(node);
                    return cycle;
                }
                if (!done.contains(node)) {
                    path.add(node);
                    onPath.add(node);
                    pending.push(successors.get(node).iterator());
                }
            }
        }
        return List.of();
    }

    private static Set<String> reachableFrom(String start, Map<String, List<String>> successors) {
        Set<String> reached = new HashSet<>(List.of(start));
        Deque<String> queue = new ArrayDeque<>(reached);
        while (!queue.isEmpty()) {
            for (String next : successors.getOrDefault(queue.poll(), List.of())) {
                if (reached.add(next)) {
                    queue.add(next);
                }
            }
        }
        return reached;
    }
}
