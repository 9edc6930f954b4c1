package dev.flowline.workflows.definition;

import dev.flowline.workflows.definition.expression.Expression;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of node a workflow can hold, by the wire name the JSON definition uses. */
public enum NodeType {
    TRIGGER_MANUAL("trigger.manual", true),
    TRIGGER_SCHEDULE("trigger.schedule", true),
    TRIGGER_WEBHOOK("trigger.webhook", true),
    HTTP_REQUEST("http.request", false),
    LOGIC_CONDITION("logic.condition", false),
    LOGIC_SWITCH("logic.switch", false),
    DATA_SET("data.set", false),
    DATA_TRANSFORM("data.transform", false),
    FLOW_DELAY("flow.delay", false),
    FLOW_MERGE("flow.merge", false),
    FLOW_WAIT("flow.wait", false),
    FLOW_CALL("flow.call", false),
    FLOW_FOREACH("flow.forEach", false);

    private final String wireName;
    private final boolean trigger;

    NodeType(String wireName, boolean trigger) {
        this.wireName = wireName;
        this.trigger = trigger;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a node of this type starts runs; a definition holds exactly one. */
    public boolean isTrigger() {
        return trigger;
    }

    public static Optional<NodeType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }

    /** Every wire name, comma-separated, for error messages. */
    static String wireNames() {
        return Arrays.stream(values()).map(NodeType::wireName).collect(Collectors.joining(", "));
    }

    /**
     * Markdown for the OpenAPI description of the workflow endpoints. Built from the same limits the validator
     * enforces, so the two cannot drift apart.
     */
    public static String documentation() {
        return """
                A definition is `{"nodes": [...], "edges": [...]}`: at most %d nodes `{"id", "type", "params"}` \
                and %d edges `{"from", "to"}` (`edges` may be omitted when empty). Node ids are 1-64 letters, digits, `_` or `-`, unique. Exactly one \
                trigger node, with no incoming edges; every other node reachable from it; no cycles. Edges out of a \
                `logic.condition` node carry `"when": "true"` or `"when": "false"`; edges out of a `logic.switch` \
                node carry `"when": "case:<name>"` (one of its cases) or `"when": "default"`; edges out of a \
                `flow.wait` node carry `"when": "resumed"`, `"when": "timeout"` or no `when` (followed either way); \
                other edges carry no `when`.

                Strings marked *template* may contain `{{input.path}}` (the run's input), \
                `{{nodes.<nodeId>.path}}` (an earlier node's output; the node must exist in the definition), \
                `{{run.id}}`, or `{{run.resumeUrls.<nodeId>}}`: the resume URL of the `flow.wait` node `<nodeId>` of \
                the same definition, usable before the run reaches it, and only in `http.request` params (it is a \
                secret: steps record it with its signature redacted). Unknown params are refused.

                Strings marked *expression* are CEL (Common Expression Language, https://cel.dev) of at most %d \
                characters, checked when the workflow is saved (syntax and types): they see `input` (the run's \
                input) and `nodes` (earlier nodes' outputs by id, e.g. `nodes.fetch.body.items`), have no access to \
                anything else, and are not templates. Each evaluation is limited in steps \
                (`flowline.engine.expression-cost-limit`), time (`flowline.engine.expression-timeout-millis`) and the \
                size of every value it builds (the step's `flowline.engine.max-step-output-bytes`); going over a \
                limit, or an error such as a missing key (test with `has(input.x)`), fails the step without retry.

                - `trigger.manual`: started by a user. No params.
                - `trigger.schedule`: started on the workflow's schedule (cron expression and time zone, set with \
                `PUT /workflows/{id}/schedule`). No params.
                - `trigger.webhook`: started by a call to the workflow's webhook (URL and secret are managed by the \
                webhook endpoints). No params.
                - `http.request`: sends an HTTP request.
                  - `url` (string, required, *template*): absolute `http` or `https` URL, at most %d characters.
                  - `method` (string): one of %s; default `GET`.
                  - `headers` (object of *template* strings): at most %d headers. A header whose name says it \
                holds a secret (`Authorization`, `Cookie`, `Proxy-Authorization`, or a name containing `token`, \
                `secret`, `key`, `password`, `signature` or `session`, except `Idempotency-Key`) may not be literal text: use `credentialId`, \
                or a template that takes the value from the run. The same holds for such query parameters in `url`. \
                Their values are redacted in the run's steps.
                  - `body` (any JSON; strings are *templates*).
                  - `timeoutSeconds` (integer %d-%d): default %d.
                  - `connectionId` (UUID): an OAuth connection whose access token is sent as `Authorization: Bearer` \
                (refreshed when due): a connection shared into the workspace (`GET /workspaces/{id}/connections`) \
                or, in a personal workspace, one of its owner's (`GET /me/connections`). A connection that is gone or \
                needs re-authorization fails the step without retry; a provider that is down is retried. The token is \
                sent only to the provider's API origins (`flowline.oauth.<provider>.api-origins`): a `url` \
                elsewhere fails the step, and a redirect elsewhere drops the token.
                  - `credentialId` (UUID, not with `connectionId`): a credential (API key, bearer token, basic \
                auth or headers) shared into the workspace (`GET /workspaces/{id}/credentials`) or, in a personal \
                workspace, one of its owner's (`GET /me/credentials`); sent only to its allowed origins, like a \
                connection's token. Steps record its id, never its value.
                - `logic.condition`: compares two values and follows the `"true"` or `"false"` edges.
                  - `left` (any JSON or *template*, required).
                  - `operator` (string, required): one of %s.
                  - `right` (any JSON or *template*): required, except for `exists` and `not_exists`, where it \
                must be absent.
                  - `expression` (*expression* producing a boolean): instead of `left`, `operator` and `right` \
                (not with them). Outputs `{"result": true|false}` either way.
                - `logic.switch`: follows the edges of the first case whose expression holds, else the `"default"` \
                edges; outputs `{"case": "<name>"}` or `{"case": "default"}`.
                  - `cases` (array, required, 1 to %d cases): `{"name", "expression"}` in order; `name` is 1-64 \
                letters, digits, `_` or `-`, unique, not `default`; `expression` is an *expression* producing a \
                boolean.
                - `data.set`: outputs the given values.
                  - `values` (object, required, not empty): any JSON values; strings are *templates*.
                - `data.transform`: outputs the value of an expression, which may build objects and lists, filter \
                and map (`input.items.filter(i, i.qty > 0).map(i, {"sku": i.sku})`).
                  - `expression` (*expression*, required): an object is the output as it is; any other value is \
                wrapped as `{"value": ...}`.
                - `flow.delay`: waits before the next node runs; the run holds no worker while it waits.
                  - `seconds` (integer %d-%d, required).
                - `flow.wait`: pauses the run (holding nothing) until its resume URL is called or its timeout \
                passes, then follows the `"resumed"` or the `"timeout"` edges. The URL is \
                `<flowline.public-base-url>/api/v1/hooks/resume/<runId>/<nodeId>/<signature>` \
                (`{{run.resumeUrls.<nodeId>}}`): one `POST` with a JSON body (or none) resumes the run, once; its \
                output is then `{"resumed": true, "body": <the call's body, {} when empty>, "resumedAt": "<time>"}`, \
                or `{"resumed": false, "timedOut": true}` after the timeout. While it waits, its step is `WAITING` \
                with `{"timeoutAt": "<time>"}`.
                  - `timeoutSeconds` (integer %d-%d): default %d.
                - `flow.merge`: joins branches. It runs once every edge into it is settled: each branch that \
                reached it has finished, and the branches a condition or switch did not take do not hold it. Outputs \
                the output of each branch that reached it, by the id of the node it came from \
                (`{"fetchA": {...}, "fetchB": {...}}`). At least two incoming edges. No params.
                - `flow.call`: starts a run of another workflow of the workspace (its current version; trigger \
                `CALL`, listed with `parentRunId`, one unit of the run quota), waits for it without holding a worker, \
                and outputs the child's output (`{}` when it has none). A child that fails (dead-lettered, canceled) \
                fails the step with retry: a retry starts a new child. Refused without retry: a workflow that is gone \
                or disabled, a call deeper than `flowline.engine.max-call-depth`, a call to a workflow already on \
                the chain of calls that led here, a used-up run quota. Cancelling the run cancels its children.
                  - `workflowId` (UUID, required): another workflow of the same workspace.
                  - `input` (object; strings are *templates*): the child's input; default `{}`.
                  - `timeoutSeconds` (integer %d-%d): default %d; the child is then canceled and the step fails \
                without retry.
                - `flow.forEach`: starts a child run of a workflow (as `flow.call` does) per item of a list, at \
                most `concurrency` unfinished at once, and outputs `{"outputs": [...]}` in item order once all \
                ended. A child's input is its item if that is an object, else `{"item": <item>}`.
                  - `workflowId` (UUID, required): as for `flow.call`.
                  - `items` (*expression* producing a list, required): at most `flowline.engine.max-items` items, \
                else the step fails without retry; evaluated again each time the node runs (same data, same list).
                  - `concurrency` (integer %d-%d): default 1.
                  - `mode` (string): `failFast` (default): the first failed child fails the step (with retry; a retry \
                starts every item again) and cancels the children still unfinished; `all`: waits for every child \
                and outputs `{"outputs": [... null for a failed child ...], "failures": [{"index", "runId", \
                "error"}]}`.
                  - `timeoutSeconds` (integer %d-%d): default %d, for all the children together.

                Branches: a node with several outgoing edges (without `when`, or with the same `when`) starts each \
                of them; their steps run concurrently, up to `flowline.engine.branch-concurrency` steps of one run \
                at a time. Any node with several incoming edges waits the same way as `flow.merge` and runs once; \
                `flow.merge` also gathers the branches' outputs. If a step of one branch fails, the steps already \
                running in the others finish and are kept, and the run fails (retried by its policy: the next attempt \
                runs only the steps that did not finish). A node that waits (`flow.delay`, `flow.wait`, \
                `flow.call`, `flow.forEach`) parks only its own branch.
                """.formatted(
                DefinitionValidator.MAX_NODES, DefinitionValidator.MAX_EDGES,
                Expression.MAX_LENGTH,
                ParamsValidator.MAX_URL_LENGTH, codeList(ParamsValidator.HTTP_METHODS), ParamsValidator.MAX_HEADERS,
                ParamsValidator.MIN_TIMEOUT_SECONDS, ParamsValidator.MAX_TIMEOUT_SECONDS,
                ParamsValidator.DEFAULT_TIMEOUT_SECONDS,
                codeList(ParamsValidator.OPERATORS), ParamsValidator.MAX_CASES,
                ParamsValidator.MIN_DELAY_SECONDS, ParamsValidator.MAX_DELAY_SECONDS,
                ParamsValidator.MIN_WAIT_SECONDS, ParamsValidator.MAX_WAIT_SECONDS,
                ParamsValidator.DEFAULT_WAIT_SECONDS,
                ParamsValidator.MIN_CALL_TIMEOUT_SECONDS, ParamsValidator.MAX_CALL_TIMEOUT_SECONDS,
                ParamsValidator.DEFAULT_CALL_TIMEOUT_SECONDS,
                ParamsValidator.MIN_CONCURRENCY, ParamsValidator.MAX_CONCURRENCY,
                ParamsValidator.MIN_CALL_TIMEOUT_SECONDS, ParamsValidator.MAX_CALL_TIMEOUT_SECONDS,
                ParamsValidator.DEFAULT_CALL_TIMEOUT_SECONDS);
    }

    private static String codeList(Iterable<String> values) {
        StringBuilder list = new StringBuilder();
        for (String value : values) {
            list.append(list.isEmpty() ? "" : ", ").append('`').append(value).append('`');
        }
        return list.toString();
    }
}
