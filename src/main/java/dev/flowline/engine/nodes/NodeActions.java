package dev.flowline.engine.nodes;

import dev.flowline.connections.ConnectionErrors.ProviderUnavailableException;
import dev.flowline.connections.WorkspaceOAuthService;
import dev.flowline.platform.crypto.SecretBox;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.json.Jsons;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.NodeType;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What each node type does with its params and the run so far. Pure nodes (triggers, {@code data.set},
 * {@code logic.condition}) only compute; {@code flow.delay} asks the run to wait; {@code http.request} is the one
 * with effects outside, so the engine records its step before the next one runs.
 */
@ApplicationScoped
public class NodeActions {

    /** Header values never written to a step's recorded input. */
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-api-key", "api-key");

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
    WorkspaceOAuthService oauth;

    private HttpRequestNode http;

    @PostConstruct
    void init() {
        List<String> allowed = Arrays.stream(allowedNetworks.orElse("").split(",")).map(String::strip)
                .filter(cidr -> !cidr.isEmpty()).toList();
        http = new HttpRequestNode(allowed.isEmpty() ? AddressPolicy.strict() : AddressPolicy.allowing(allowed),
                maxResponseBytes, maxRedirects);
    }

    /** Whether the node acts outside Flowline, so that its step must be recorded before the run goes on. */
    public static boolean hasEffects(Node node) {
        return node.type() == NodeType.HTTP_REQUEST;
    }

    public StepOutcome run(Node node, RunContext context, int attempt, UUID runId, UUID workspaceId, Instant now) {
        return switch (node.type()) {
            case TRIGGER_MANUAL, TRIGGER_SCHEDULE, TRIGGER_WEBHOOK ->
                    new StepOutcome.Done(JsonValue.EMPTY_JSON_OBJECT, context.input());
            case DATA_SET -> {
                JsonObject values = asObject(Templates.resolve(node.params().get("values"), context));
                yield new StepOutcome.Done(node.params(), values);
            }
            case LOGIC_CONDITION -> new StepOutcome.Done(node.params(),
                    Jsons.createObjectBuilder().add("result", Conditions.evaluate(node.params(), context)).build());
            case FLOW_DELAY -> {
                Instant until = now.plusSeconds(node.params().getJsonNumber("seconds").longValue());
                yield new StepOutcome.Wait(node.params(), until);
            }
            case HTTP_REQUEST -> {
                JsonObject params = asObject(Templates.resolve(node.params(), context));
                // The key is the same for every attempt of this step, so the receiver can tell a retry from a new call.
                JsonObject response = http.send(params, attempt, runId + ":" + node.id(),
                        connectionToken(params, workspaceId));
                yield new StepOutcome.Done(withoutSecrets(params), response);
            }
        };
    }

    /**
     * The access token of the node's {@code connectionId}, through the connections area (which checks that the run's
     * workspace may use it and refreshes it when due). A provider that is down is worth a retry; a connection that is
     * gone, not the workspace's, or needs re-authorization is not.
     */
    private Optional<String> connectionToken(JsonObject params, UUID workspaceId) {
        if (!(params.get("connectionId") instanceof JsonString id)) {
            return Optional.empty();
        }
        UUID connectionId;
        try {
            connectionId = UUID.fromString(id.getString());
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("connectionId is not a UUID", false);
        }
        try {
            return Optional.of(oauth.accessTokenForRun(workspaceId, connectionId));
        } catch (ProviderUnavailableException e) {
            throw new StepFailedException("connection " + connectionId + ": " + e.detail(), true);
        } catch (FlowlineException e) {
            throw new StepFailedException("connection " + connectionId + ": " + e.detail(), false);
        } catch (SecretBox.DecryptionFailedException e) {
            // Its key left flowline.encryption-keys before the re-encryption job reached it: only reconnecting helps.
            throw new StepFailedException("connection " + connectionId + " cannot be decrypted; connect the account"
                    + " again", false, e);
        }
    }

    private static JsonObject asObject(JsonValue value) {
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new StepFailedException("The node's values did not resolve to an object.", false);
    }

    private static JsonObject withoutSecrets(JsonObject params) {
        JsonObject headers = params.getJsonObject("headers");
        if (headers == null) {
            return params;
        }
        JsonObjectBuilder shown = Jsons.createObjectBuilder();
        headers.forEach((name, value) -> shown.add(name,
                SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? Jsons.createValue("[redacted]") : value));
        return Jsons.createObjectBuilder(params).add("headers", shown).build();
    }
}
