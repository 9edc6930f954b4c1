package dev.flowline.engine.nodes;

import dev.flowline.platform.json.Jsons;
import dev.flowline.runs.ChildOf;
import dev.flowline.runs.ChildRunRepository.CallChain;
import dev.flowline.runs.ChildRunRepository.ChildRun;
import dev.flowline.runs.ChildRunService;
import dev.flowline.runs.CreateWorkflowRunOutcome;
import dev.flowline.runs.CreateWorkflowRunOutcome.AlreadyExisted;
import dev.flowline.runs.CreateWorkflowRunOutcome.Created;
import dev.flowline.runs.CreateWorkflowRunOutcome.RefusedByQuota;
import dev.flowline.runs.RunStatus;
import dev.flowline.workflows.Workflow;
import dev.flowline.workflows.WorkflowRepository;
import dev.flowline.workflows.definition.CallParams;
import dev.flowline.workflows.definition.Node;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code flow.call} and {@code flow.forEach}: each execution reads back the children this try of the node started
 * (by key: run, node, try, item), starts the ones missing (up to the concurrency), and either finishes with their
 * outputs, fails, or parks until the deadline; a child's end wakes the parent (a trigger, in the child's final
 * transaction), so the node runs again then. Nothing is kept between executions but the children themselves: the
 * deadline is the first child's queue time + {@code timeoutSeconds}, the items are evaluated again from the same
 * run data. The node's try ({@link ChildRunService#nodeTry}) grows only with its FAILED steps: a wake-up or a
 * takeover after a crash finds the children already started, a retry starts new ones.
 */
@ApplicationScoped
public class ChildRunNodes {

    public static final String MAX_CALL_DEPTH_SETTING = "flowline.engine.max-call-depth";
    public static final String MAX_ITEMS_SETTING = "flowline.engine.max-items";

    @Inject
    @ConfigProperty(name = MAX_CALL_DEPTH_SETTING, defaultValue = "8")
    int maxCallDepth;

    @Inject
    @ConfigProperty(name = MAX_ITEMS_SETTING, defaultValue = "1000")
    int maxItems;

    @Inject
    ChildRunService children;

    @Inject
    WorkflowRepository workflows;

    StepOutcome call(Node node, RunContext context, StepScope scope) {
        JsonValue resolved = node.params().containsKey("input")
                ? Templates.resolve(node.params().get("input"), context) : JsonValue.EMPTY_JSON_OBJECT;
        if (!(resolved instanceof JsonObject input)) {
            throw new StepFailedException("The input of node " + node.id() + " did not resolve to an object.", false);
        }
        JsonObject recorded = Jsons.createObjectBuilder(node.params()).add("input", input).build();
        UUID targetId = CallParams.workflowId(node).orElseThrow();
        int nodeTry = children.nodeTry(scope.runId(), node.id());
        List<ChildRun> started = children.children(scope.runId(), node.id(), nodeTry);
        ChildRun child = started.isEmpty()
                ? start(node, scope, runnable(node, scope, targetId), nodeTry, 0, input)
                : started.get(0);
        if (child.status() == RunStatus.SUCCEEDED) {
            return new StepOutcome.Done(recorded, children.childOutputs(scope.runId(), node.id(), nodeTry)
                    .getOrDefault(0, JsonValue.EMPTY_JSON_OBJECT));
        }
        if (child.status().finished()) {
            throw new StepFailedException("The child run " + child.id() + " of node " + node.id() + " ended "
                    + child.status() + describe(child.error()), true);
        }
        Instant deadline = child.queuedAt().plusSeconds(CallParams.timeoutSeconds(node.params()));
        if (!scope.now().isBefore(deadline)) {
            children.cancel(scope.workspaceId(), child.id(), scope.now());
            throw new StepFailedException("The child run " + child.id() + " of node " + node.id()
                    + " did not end within timeoutSeconds (" + CallParams.timeoutSeconds(node.params())
                    + "); it was canceled.", false);
        }
        return new StepOutcome.Park(recorded, deadline, Jsons.createObjectBuilder()
                .add("childRunIds", Jsons.createArrayBuilder().add(child.id().toString()))
                .add("timeoutAt", deadline.toString())
                .add("try", nodeTry)
                .build());
    }

    StepOutcome forEach(Node node, JsonArray items, StepScope scope) {
        if (items.size() > maxItems) {
            throw new StepFailedException("The items of node " + node.id() + " are " + items.size()
                    + ", more than the " + maxItems + " allowed (" + MAX_ITEMS_SETTING + ").", false);
        }
        JsonObject params = node.params();
        int concurrency = params.containsKey("concurrency") ? params.getJsonNumber("concurrency").intValue() : 1;
        boolean all = CallParams.MODE_ALL.equals(params.getString("mode", CallParams.MODE_FAIL_FAST));
        int timeout = CallParams.timeoutSeconds(params);
        int nodeTry = children.nodeTry(scope.runId(), node.id());
        Map<Integer, ChildRun> byIndex = new HashMap<>();
        for (ChildRun child : children.children(scope.runId(), node.id(), nodeTry)) {
            byIndex.put(child.itemIndex(), child);
        }
        if (!all) {
            byIndex.entrySet().stream()
                    .filter(e -> e.getValue().status().finished() && e.getValue().status() != RunStatus.SUCCEEDED)
                    .min(Map.Entry.comparingByKey())
                    .ifPresent(failed -> {
                        cancelUnfinished(byIndex, scope);
                        ChildRun child = failed.getValue();
                        throw new StepFailedException("The child run " + child.id() + " of node " + node.id()
                                + " (item " + failed.getKey() + ") ended " + child.status() + describe(child.error())
                                + " Its unfinished siblings were canceled.", true);
                    });
        }
        Instant deadline = byIndex.values().stream().map(ChildRun::queuedAt).min(Instant::compareTo)
                .orElse(scope.now()).plusSeconds(timeout);
        long unfinished = byIndex.values().stream().filter(run -> !run.status().finished()).count();
        boolean allStarted = byIndex.size() == items.size();
        if (!scope.now().isBefore(deadline) && (unfinished > 0 || !allStarted)) {
            cancelUnfinished(byIndex, scope);
            throw new StepFailedException("The children of node " + node.id() + " did not all end within"
                    + " timeoutSeconds (" + timeout + "); the unfinished ones were canceled.", false);
        }
        if (!allStarted && unfinished < concurrency) {
            Target target = null;
            for (int index = 0; index < items.size() && unfinished < concurrency; index++) {
                if (byIndex.containsKey(index)) {
                    continue;
                }
                if (target == null) {
                    target = runnable(node, scope, CallParams.workflowId(node).orElseThrow());
                }
                JsonValue item = items.get(index);
                JsonObject input = item instanceof JsonObject object ? object
                        : Jsons.createObjectBuilder().add("item", item).build();
                try {
                    byIndex.put(index, start(node, scope, target, nodeTry, index, input));
                } catch (StepFailedException e) {
                    cancelUnfinished(byIndex, scope);
                    throw e;
                }
                unfinished++;
            }
        }
        if (byIndex.size() == items.size() && unfinished == 0) {
            return new StepOutcome.Done(params, outputs(byIndex,
                    children.childOutputs(scope.runId(), node.id(), nodeTry), items.size(), all));
        }
        return new StepOutcome.Park(params, deadline, Jsons.createObjectBuilder()
                .add("items", items.size())
                .add("started", byIndex.size())
                .add("timeoutAt", deadline.toString())
                .add("try", nodeTry)
                .build());
    }

    /** {@code {"outputs": [...]}}, plus {@code failures} in mode {@code all} (a failed child's output is null). */
    private static JsonObject outputs(Map<Integer, ChildRun> byIndex, Map<Integer, JsonObject> succeeded, int size,
                                      boolean all) {
        JsonArrayBuilder outputs = Jsons.createArrayBuilder();
        JsonArrayBuilder failures = Jsons.createArrayBuilder();
        for (int index = 0; index < size; index++) {
            ChildRun child = byIndex.get(index);
            if (child.status() == RunStatus.SUCCEEDED) {
                outputs.add(succeeded.getOrDefault(index, JsonValue.EMPTY_JSON_OBJECT));
            } else {
                outputs.addNull();
                failures.add(Jsons.createObjectBuilder()
                        .add("index", index)
                        .add("runId", child.id().toString())
                        .add("error", child.error() == null ? child.status().name() : child.error()));
            }
        }
        var output = Jsons.createObjectBuilder().add("outputs", outputs);
        return all ? output.add("failures", failures).build() : output.build();
    }

    private void cancelUnfinished(Map<Integer, ChildRun> byIndex, StepScope scope) {
        for (ChildRun child : byIndex.values()) {
            if (!child.status().finished()) {
                children.cancel(scope.workspaceId(), child.id(), scope.now());
            }
        }
    }

    /**
     * The target workflow if a child may start now: it exists in the workspace and is enabled, the call is not
     * deeper than {@code flowline.engine.max-call-depth}, and its workflow is not already on the chain of runs that
     * led here (one recursive query up the parents). Each refusal fails the step without retry.
     */
    private Target runnable(Node node, StepScope scope, UUID targetId) {
        Workflow target = workflows.find(scope.workspaceId(), targetId).orElseThrow(() -> new StepFailedException(
                "Node " + node.id() + " calls workflow " + targetId + ", which is not a workflow of this workspace"
                        + " (deleted?).", false));
        if (!target.enabled()) {
            throw new StepFailedException("Node " + node.id() + " calls workflow " + targetId + " ("
                    + target.name() + "), which is disabled.", false);
        }
        CallChain chain = children.callChain(scope.runId());
        if (chain.callDepth() + 1 > maxCallDepth) {
            throw new StepFailedException("Node " + node.id() + " would start a child run at call depth "
                    + (chain.callDepth() + 1) + ", more than the " + maxCallDepth + " allowed ("
                    + MAX_CALL_DEPTH_SETTING + ").", false);
        }
        if (chain.workflowIds().contains(targetId)) {
            List<UUID> path = new ArrayList<>(chain.workflowIds());
            Collections.reverse(path);
            path.add(targetId);
            throw new StepFailedException("Node " + node.id() + " calls workflow " + targetId
                    + ", which is already on the chain of calls that led here ("
                    + path.stream().map(UUID::toString).collect(Collectors.joining(" -> "))
                    + "): a call cycle is refused.", false);
        }
        return new Target(target, chain.callDepth() + 1);
    }

    /** A workflow a child run may start of, and the child's call depth. */
    private record Target(Workflow workflow, int depth) {
    }

    private ChildRun start(Node node, StepScope scope, Target target, int nodeTry, int index, JsonObject input) {
        CreateWorkflowRunOutcome outcome = children.start(target.workflow(), input,
                new ChildOf(scope.runId(), node.id(), nodeTry, index, target.depth()));
        if (outcome instanceof Created created) {
            return ChildRun.of(index, created.run());
        }
        if (outcome instanceof AlreadyExisted existed) {
            return ChildRun.of(index, existed.run());
        }
        throw new StepFailedException("Node " + node.id() + " could not start a run of workflow "
                + target.workflow().id()
                + ": the workspace's run quota (" + ((RefusedByQuota) outcome).allocation()
                + " runs this period) is used up.", false);
    }

    private static String describe(String error) {
        return error == null ? "." : ": " + error + (error.endsWith(".") ? "" : ".");
    }
}
