package dev.flowline.workflows.definition;

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
    DATA_SET("data.set", false),
    FLOW_DELAY("flow.delay", false);

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
                `logic.condition` node carry `"when": "true"` or `"when": "false"`; other edges carry no `when`.

                Strings marked *template* may contain `{{input.path}}` (the run's input) or \
                `{{nodes.<nodeId>.path}}` (an earlier node's output); the node must exist in the definition. \
                Unknown params are refused.

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
                `secret`, `key`, `password`, `signature` or `session`) may not be literal text: use `credentialId`, \
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
                - `data.set`: outputs the given values.
                  - `values` (object, required, not empty): any JSON values; strings are *templates*.
                - `flow.delay`: waits before the next node runs.
                  - `seconds` (integer %d-%d, required).
                """.formatted(
                DefinitionValidator.MAX_NODES, DefinitionValidator.MAX_EDGES,
                ParamsValidator.MAX_URL_LENGTH, codeList(ParamsValidator.HTTP_METHODS), ParamsValidator.MAX_HEADERS,
                ParamsValidator.MIN_TIMEOUT_SECONDS, ParamsValidator.MAX_TIMEOUT_SECONDS,
                ParamsValidator.DEFAULT_TIMEOUT_SECONDS,
                codeList(ParamsValidator.OPERATORS),
                ParamsValidator.MIN_DELAY_SECONDS, ParamsValidator.MAX_DELAY_SECONDS);
    }

    private static String codeList(Iterable<String> values) {
        StringBuilder list = new StringBuilder();
        for (String value : values) {
            list.append(list.isEmpty() ? "" : ", ").append('`').append(value).append('`');
        }
        return list.toString();
    }
}
