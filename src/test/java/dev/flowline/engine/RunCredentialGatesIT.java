package dev.flowline.engine;

import com.sun.net.httpserver.HttpServer;
import dev.flowline.connections.CredentialCipher;
import dev.flowline.connections.CredentialFields;
import dev.flowline.connections.CredentialKind;
import dev.flowline.connections.CredentialOrigins;
import dev.flowline.connections.CredentialSecret;
import dev.flowline.connections.InMemoryCredentials;
import dev.flowline.connections.InMemoryTokens;
import dev.flowline.connections.NewCredential;
import dev.flowline.connections.SharedConnection;
import dev.flowline.connections.SharedCredential;
import dev.flowline.connections.StoredToken;
import dev.flowline.connections.TokenCipher;
import dev.flowline.engine.nodes.NodeActions;
import dev.flowline.engine.nodes.RunContext;
import dev.flowline.engine.nodes.StepFailedException;
import dev.flowline.engine.nodes.StepOutcome;
import dev.flowline.engine.nodes.StepScope;
import dev.flowline.testing.Deployments;
import dev.flowline.workflows.definition.Node;
import dev.flowline.workflows.definition.NodeType;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository;
import dev.flowline.workspaces.WorkspaceRole;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The membership check before anything is decrypted, proven inside the server with the CDI alternatives: the
 * engine's {@link NodeActions} runs two {@code http.request} steps of one run using a shared connection (and a shared
 * credential); between them {@link StaticWorkspaceMembershipRepository} says the sharer left. The second step fails
 * without retry, nothing reaches the API, and the doubles ({@link InMemoryTokens}, {@link InMemoryCredentials})
 * count no ciphertext read for it.
 */
@ExtendWith(ArquillianExtension.class)
class RunCredentialGatesIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.rulesOnDoubles();
    }

    @Inject
    NodeActions actions;

    @Inject
    StaticWorkspaceMembershipRepository workspaces;

    @Inject
    InMemoryTokens tokens;

    @Inject
    InMemoryCredentials credentials;

    @Inject
    TokenCipher tokenCipher;

    @Inject
    CredentialCipher credentialCipher;

    @Inject
    @ConfigProperty(name = "test.api.port")
    int port;

    private final UUID workspace = UUID.randomUUID();
    private final UUID sharer = UUID.randomUUID();
    private final UUID runId = UUID.randomUUID();
    private final Instant now = Instant.now();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer api;

    @BeforeEach
    void start() throws IOException {
        workspaces.reset();
        workspaces.memberAs(WorkspaceRole.MEMBER);
        tokens.reset();
        credentials.reset();
        api = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        api.createContext("/", exchange -> {
            received.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("X-Api-Key"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    @Test
    void aSharedConnectionIsRefusedBetweenTwoStepsOfOneRunOnceItsSharerLeaves() {
        UUID tokenId = UUID.randomUUID();
        tokens.put(new StoredToken(tokenId, sharer, "local", null,
                tokenCipher.sealAccess(tokenId, sharer, "local", "tok-1"), null, now.plusSeconds(3600), false), null);
        SharedConnection shared = tokens.create(workspace, sharer, tokenId, "Local", now).orElseThrow();

        twoStepsOfOneRun("connectionId", shared.id(), tokens::secretReads);

        assertThat(received).containsExactly("/first Bearer tok-1 null");
    }

    @Test
    void aSharedCredentialIsRefusedBetweenTwoStepsOfOneRunOnceItsSharerLeaves() {
        UUID credentialId = UUID.randomUUID();
        CredentialSecret secret = CredentialSecret.of(CredentialKind.API_KEY,
                new CredentialFields("header", "X-Api-Key", "key-1", null, null, null, null), "secret");
        assertThat(credentials.insert(new NewCredential(credentialId, sharer, "Local API", CredentialKind.API_KEY,
                CredentialOrigins.parseList("http://127.0.0.1:" + port), secret.shape(),
                credentialCipher.seal(credentialId, sharer, CredentialKind.API_KEY, secret)), 100, now)).isTrue();
        SharedCredential shared = credentials.create(workspace, sharer, credentialId, "Local API", now).orElseThrow();

        twoStepsOfOneRun("credentialId", shared.id(), credentials::secretReads);

        assertThat(received).containsExactly("/first null key-1");
    }

    private StepScope scope() {
        return new StepScope(runId, workspace, UUID.randomUUID(), 1, now, null);
    }

    /** Step one sends, the sharer leaves, step two fails without retry, reading no ciphertext and sending nothing. */
    private void twoStepsOfOneRun(String param, UUID id, IntSupplier secretReads) {
        Map<String, JsonValue> outputs = new HashMap<>();
        JsonObject input = JsonValue.EMPTY_JSON_OBJECT;

        StepOutcome first = actions.run(node("first", param, id), new RunContext(input, outputs), scope());

        assertThat(first).isInstanceOf(StepOutcome.Done.class);
        assertThat(first.input().toString()).contains(id.toString()).doesNotContain("tok-1", "key-1");
        assertThat(secretReads.getAsInt()).isEqualTo(1);
        outputs.put("first", ((StepOutcome.Done) first).output());

        workspaces.memberAs(null); // the sharer left the workspace between the two steps

        StepFailedException refused = catchThrowableOfType(StepFailedException.class, () -> actions.run(
                node("second", param, id), new RunContext(input, outputs), scope()));

        assertThat(refused).isNotNull();
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains(id.toString()).doesNotContain("tok-1", "key-1");
        assertThat(secretReads.getAsInt()).as("ciphertexts read for the refused step").isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    private Node node(String nodeId, String param, UUID id) {
        return new Node(nodeId, NodeType.HTTP_REQUEST, Json.createObjectBuilder()
                .add("url", "http://127.0.0.1:" + port + "/" + nodeId).add(param, id.toString()).build());
    }
}
