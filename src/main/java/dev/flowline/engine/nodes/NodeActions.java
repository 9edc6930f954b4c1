package dev.flowline.engine.nodes;

import dev.flowline.connections.ConnectionErrors.ProviderUnavailableException;
import dev.flowline.connections.RunCredential;
import dev.flowline.connections.RunToken;
import dev.flowline.connections.WorkspaceCredentialService;
import dev.flowline.connections.WorkspaceOAuthService;
import dev.flowline.platform.crypto.SecretBox;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.tracing.Tracing;
import dev.flowline.runs.ResumeUrls;
import dev.flowline.runs.RunResume;
import dev.flowline.runs.RunResumeRepository;
import dev.flowline.workflows.definition.Edge;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.NodeType;
import dev.flowline.workflows.definition.SecretNames;
import dev.flowline.workflows.definition.expression.ExpressionLimits;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What each node type does with its params and the run so far. Pure nodes (triggers, {@code data.set},
 * {@code data.transform}, {@code logic.condition}, {@code logic.switch}) only compute; {@code flow.delay} and
 * {@code flow.wait} park the run; {@code http.request} is the one with effects outside, so the engine records its
 * step before the next one runs. {@code flow.call} and {@code flow.forEach} start child runs ({@link ChildRunNodes}):
 * idempotent by key, so they need no early record.
 */
@ApplicationScoped
public class NodeActions {

    /** flow.wait's default timeout: a week (the validator allows 1 second to 30 days). */
    static final int DEFAULT_WAIT_SECONDS = 604_800;

    @Inject
    @ConfigProperty(name = "flowline.engine.http.allowed-networks")
    Optional<String> allowedNetworks;

    @Inject
    @ConfigProperty(name = "flowline.engine.http.max-response-bytes", defaultValue = "262144")
    int maxResponseBytes;

    @Inject
    @ConfigProperty(name = "flowline.engine.http.max-redirects", defaultValue = "5")
    int maxRedirects;

    @Inject
    @ConfigProperty(name = ExpressionLimits.MAX_COST_SETTING, defaultValue = "100000")
    long expressionCostLimit;

    @Inject
    @ConfigProperty(name = ExpressionLimits.MAX_MILLIS_SETTING, defaultValue = "1000")
    long expressionTimeoutMillis;

    @Inject
    WorkspaceOAuthService oauth;

    @Inject
    WorkspaceCredentialService credentials;

    @Inject
    ResumeUrls resumeUrls;

    @Inject
    RunResumeRepository resumes;

    @Inject
    ChildRunNodes childRuns;

    @Inject
    Tracing tracing;

    private HttpRequestNode http;
    // maxBytes is set per evaluation from the step's budget left
    private ExpressionLimits expressionLimits;

    @PostConstruct
    void init() {
        List<String> allowed = Arrays.stream(allowedNetworks.orElse("").split(",")).map(String::strip)
                .filter(cidr -> !cidr.isEmpty()).toList();
        http = new HttpRequestNode(allowed.isEmpty() ? AddressPolicy.strict() : AddressPolicy.allowing(allowed),
                maxResponseBytes, maxRedirects, tracing.tracer());
        expressionLimits = new ExpressionLimits(expressionCostLimit, expressionTimeoutMillis, 0);
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.close();
        }
    }

    /**
     * The branch a finished node chose, which the run follows along the edges whose {@code when} is that branch:
     * {@code "true"}/{@code "false"} for a condition, {@code "case:<name>"}/{@code "default"} for a switch,
     * {@code "resumed"}/{@code "timeout"} for a wait; null for
     * the other nodes (their edges have no {@code when}).
     */
    public static String branch(Node node, JsonObject output) {
        return switch (node.type()) {
            case LOGIC_CONDITION -> String.valueOf(output.getBoolean("result", false));
            case LOGIC_SWITCH -> {
                String chosen = output.getString("case", ExpressionNodes.DEFAULT_CASE);
                yield chosen.equals(ExpressionNodes.DEFAULT_CASE) ? Edge.WHEN_DEFAULT : Edge.WHEN_CASE + chosen;
            }
            case FLOW_WAIT -> output.getBoolean("resumed", false) ? Edge.WHEN_RESUMED : Edge.WHEN_TIMEOUT;
            default -> null;
        };
    }

    /** Whether the node acts outside Flowline, so that its step must be recorded before the run goes on. */
    public static boolean hasEffects(Node node) {
        return node.type() == NodeType.HTTP_REQUEST;
    }

    public StepOutcome run(Node node, RunContext run, StepScope scope) {
        UUID workspaceId = scope.workspaceId();
        RunContext context = run.with(new RunVariables(scope.runId(), waitId -> resumeUrls.url(scope.runId(), waitId)));
        return switch (node.type()) {
            case TRIGGER_MANUAL, TRIGGER_SCHEDULE, TRIGGER_WEBHOOK ->
                    new StepOutcome.Done(JsonValue.EMPTY_JSON_OBJECT, context.input());
            case DATA_SET -> {
                JsonObject values = asObject(Templates.resolve(node.params().get("values"), context));
                yield new StepOutcome.Done(node.params(), values);
            }
            case LOGIC_CONDITION -> new StepOutcome.Done(node.params(), Jsons.createObjectBuilder()
                    .add("result", node.params().containsKey("expression")
                            ? ExpressionNodes.condition(node, context, expressionLimits)
                            : Conditions.evaluate(node.params(), context))
                    .build());
            case LOGIC_SWITCH -> new StepOutcome.Done(node.params(), ExpressionNodes.choose(node, context, expressionLimits));
            case DATA_TRANSFORM ->
                    new StepOutcome.Done(node.params(), ExpressionNodes.transform(node, context, expressionLimits));
            case FLOW_DELAY -> delay(node, scope);
            // which branches reached it is the walk's knowledge, not the node's: RunExecutor joins them
            case FLOW_MERGE -> throw new IllegalStateException("flow.merge is joined by the run's walk");
            case FLOW_WAIT -> flowWait(node, scope);
            case FLOW_CALL -> childRuns.call(node, context, scope);
            case FLOW_FOREACH -> childRuns.forEach(node, ExpressionNodes.list(node, "items", context, expressionLimits),
                    scope);
            case HTTP_REQUEST -> {
                JsonObject params = asObject(Templates.resolve(node.params(), context));
                // The key is the same for every attempt of this step, so the receiver can tell a retry from a new call.
                Optional<SentCredential> credential = params.containsKey("credentialId")
                        ? credential(params, workspaceId) : connectionToken(params, workspaceId);
                JsonObject response;
                try {
                    response = http.send(params, scope.attempt(), scope.effectKey(node.id()), credential);
                } catch (StepFailedException e) {
                    throw new StepFailedException(ResumeUrls.redact(e.getMessage()), e.retryable(), e);
                }
                // a receiver may echo the request: no resume URL is kept in clear either way
                yield new StepOutcome.Done(withoutResumeSignatures(withoutSecrets(params)),
                        withoutResumeSignatures(response));
            }
        };
    }

    /**
     * Parks until its resume URL is called or {@code timeoutSeconds} after it first ran, whichever comes first: the
     * resume call records its body ({@code run_resumes}) and wakes the run; past the deadline the node records the
     * timeout the same way, and reads back whichever was first. A call made before the run got here (the URL was sent
     * by an earlier node) is found at once.
     */
    private StepOutcome flowWait(Node node, StepScope scope) {
        Instant deadline = scope.waiting() != null && scope.waiting().get("timeoutAt") instanceof JsonString at
                ? Instant.parse(at.getString())
                : scope.now().plusSeconds(node.params().getInt("timeoutSeconds", DEFAULT_WAIT_SECONDS));
        Optional<RunResume> ended = resumes.find(scope.runId(), node.id());
        if (ended.isEmpty() && !scope.now().isBefore(deadline)) {
            resumes.record(scope.runId(), node.id(), RunResume.Outcome.TIMED_OUT, null, scope.now());
            ended = resumes.find(scope.runId(), node.id());
        }
        if (ended.isPresent()) {
            RunResume resume = ended.get();
            return new StepOutcome.Done(node.params(), resume.outcome() == RunResume.Outcome.RESUMED
                    ? Jsons.createObjectBuilder().add("resumed", true)
                            .add("body", resume.body() == null ? JsonValue.EMPTY_JSON_OBJECT : resume.body())
                            .add("resumedAt", resume.at().toString()).build()
                    : Jsons.createObjectBuilder().add("resumed", false).add("timedOut", true).build());
        }
        return new StepOutcome.Park(node.params(), deadline,
                Jsons.createObjectBuilder().add("timeoutAt", deadline.toString()).build());
    }

    /**
     * {@code value} with the signature of every resume URL in its strings redacted ({@link ResumeUrls#redact}); the
     * same instance when there was none, as most often.
     */
    @SuppressWarnings("unchecked")
    static <T extends JsonValue> T withoutResumeSignatures(T value) {
        return (T) redactResumeSignatures(value);
    }

    private static JsonValue redactResumeSignatures(JsonValue value) {
        if (value instanceof JsonString string) {
            String redacted = ResumeUrls.redact(string.getString());
            return redacted.equals(string.getString()) ? string : Jsons.createValue(redacted);
        }
        if (value instanceof JsonObject object) {
            JsonObjectBuilder redacted = null;
            for (Map.Entry<String, JsonValue> member : object.entrySet()) {
                JsonValue shown = redactResumeSignatures(member.getValue());
                if (shown != member.getValue() && redacted == null) {
                    redacted = Jsons.createObjectBuilder(object);
                }
                if (redacted != null) {
                    redacted.add(member.getKey(), shown);
                }
            }
            return redacted == null ? object : redacted.build();
        }
        if (value instanceof JsonArray array) {
            JsonArrayBuilder redacted = null;
            for (int i = 0; i < array.size(); i++) {
                JsonValue shown = redactResumeSignatures(array.get(i));
                if (shown != array.get(i) && redacted == null) {
                    redacted = Jsons.createArrayBuilder();
                    for (int j = 0; j < i; j++) {
                        redacted.add(array.get(j));
                    }
                }
                if (redacted != null) {
                    redacted.add(shown);
                }
            }
            return redacted == null ? array : redacted.build();
        }
        return value;
    }

    /** Parks until {@code seconds} after the node first ran; done once that time has come. */
    private static StepOutcome delay(Node node, StepScope scope) {
        Instant until = scope.waiting() != null && scope.waiting().get("until") instanceof JsonString at
                ? Instant.parse(at.getString())
                : scope.now().plusSeconds(node.params().getJsonNumber("seconds").longValue());
        JsonObject waiting = Jsons.createObjectBuilder().add("until", until.toString()).build();
        return scope.now().isBefore(until) ? new StepOutcome.Park(node.params(), until, waiting)
                : new StepOutcome.Done(node.params(), waiting);
    }

    /**
     * The access token of the node's {@code connectionId}, through the connections area (which checks that the run's
     * workspace may use it and refreshes it when due), with the origins it may go to. A provider that is down is
     * worth a retry; a connection that is gone, not the workspace's, or needs re-authorization is not.
     */
    private Optional<SentCredential> connectionToken(JsonObject params, UUID workspaceId) {
        if (!(params.get("connectionId") instanceof JsonString id)) {
            return Optional.empty();
        }
        UUID connectionId = uuid(id, "connectionId");
        String name = "connection " + connectionId;
        try {
            RunToken token = oauth.accessTokenForRun(workspaceId, connectionId);
            return Optional.of(new SentCredential(name, token.originsSetting(),
                    Map.of("Authorization", "Bearer " + token.accessToken()), Map.of(), token.apiOrigins()));
        } catch (ProviderUnavailableException e) {
            throw new StepFailedException(name + ": " + e.detail(), true);
        } catch (FlowlineException e) {
            throw new StepFailedException(name + ": " + e.detail(), false);
        } catch (SecretBox.DecryptionFailedException e) {
            // Its key left flowline.encryption-keys before the re-encryption job reached it: only reconnecting helps.
            throw new StepFailedException(name + " cannot be decrypted; connect the account again", false, e);
        }
    }

    /**
     * The node's {@code credentialId} (an API key, bearer token, basic auth or headers), through the connections area,
     * which checks that the run's workspace may use it before decrypting it. Nothing about it is worth a retry.
     */
    private Optional<SentCredential> credential(JsonObject params, UUID workspaceId) {
        if (!(params.get("credentialId") instanceof JsonString id)) {
            throw new StepFailedException("credentialId is not a UUID", false);
        }
        UUID credentialId = uuid(id, "credentialId");
        String name = "credential " + credentialId;
        try {
            RunCredential credential = credentials.credentialForRun(workspaceId, credentialId);
            return Optional.of(new SentCredential(name, "the credential's origins", credential.headers(),
                    credential.queryParameters(), credential.origins()));
        } catch (FlowlineException e) {
            throw new StepFailedException(name + ": " + e.detail(), false);
        } catch (SecretBox.DecryptionFailedException e) {
            throw new StepFailedException(name + " cannot be decrypted; its owner must replace its secret", false, e);
        }
    }

    private static UUID uuid(JsonString id, String field) {
        try {
            return UUID.fromString(id.getString());
        } catch (IllegalArgumentException e) {
            throw new StepFailedException(field + " is not a UUID", false);
        }
    }

    private static JsonObject asObject(JsonValue value) {
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new StepFailedException("The node's values did not resolve to an object.", false);
    }

    /**
     * The params as a step records them: values of headers and URL query parameters whose names say they hold a
     * secret ({@link SecretNames}) are replaced, whatever a template put there. A credential's own values never
     * reach the params (the node adds them while sending), so its id is all a step shows of it.
     */
    static JsonObject withoutSecrets(JsonObject params) {
        JsonObjectBuilder shown = Jsons.createObjectBuilder(params);
        if (params.get("headers") instanceof JsonObject headers) {
            JsonObjectBuilder redacted = Jsons.createObjectBuilder();
            headers.forEach((name, value) -> redacted.add(name,
                    SecretNames.isSecret(name) ? Jsons.createValue(SecretNames.REDACTED) : value));
            shown.add("headers", redacted);
        }
        if (params.get("url") instanceof JsonString url) {
            shown.add("url", withoutSecretQuery(url.getString()));
        }
        return shown.build();
    }

    private static String withoutSecretQuery(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return url;
        }
        int hash = url.indexOf('#', question);
        String query = url.substring(question + 1, hash < 0 ? url.length() : hash);
        StringBuilder kept = new StringBuilder(url.substring(0, question + 1));
        String separator = "";
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String decoded;
            try {
                decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = name;
            }
            kept.append(separator).append(equals >= 0 && SecretNames.isSecret(decoded)
                    ? name + "=" + URLEncoder.encode(SecretNames.REDACTED, StandardCharsets.UTF_8) : pair);
            separator = "&";
        }
        return kept.append(hash < 0 ? "" : url.substring(hash)).toString();
    }
}
