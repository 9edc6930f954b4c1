package dev.flowline.client;

import dev.flowline.client.FlowlineApi.CreateRunRequest;
import dev.flowline.client.FlowlineApi.LoginRequest;
import dev.flowline.client.FlowlineApi.LoginResponse;
import dev.flowline.client.FlowlineApi.RunResponse;
import dev.flowline.client.FlowlineApi.RunResponsePage;
import dev.flowline.client.FlowlineApi.RunStatus;
import dev.flowline.client.FlowlineApi.RunTrigger;
import dev.flowline.client.FlowlineApi.SignupRequest;
import dev.flowline.client.FlowlineApi.SignupResponse;
import dev.flowline.client.FlowlineApi.TokenRequest;
import dev.flowline.client.FlowlineApi.WorkflowRequest;
import dev.flowline.client.FlowlineApi.WorkflowResponse;
import dev.flowline.client.FlowlineApi.WorkspaceNameRequest;
import dev.flowline.client.FlowlineApi.WorkspaceResponse;
import dev.flowline.client.FlowlineApi.WorkspaceRole;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Mailbox;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import org.glassfish.jersey.client.proxy.WebResourceFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringReader;
import java.net.URL;
import java.util.UUID;

import static dev.flowline.testing.Fixtures.newEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real flow through a typed client written against the OpenAPI document ({@link FlowlineApi}, implemented by a
 * Jakarta REST client proxy): sign up, verify the email address, log in, create a workspace and a workflow, start
 * a run and read it back, one page of runs. No JSON is written by hand: requests and answers are the document's
 * schemas as records, so a change of the contract that breaks a client breaks this test too.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TypedClientIT {

    private static final String PASSWORD = "correct horse battery";

    @ArquillianResource
    URL deploymentUrl;

    private Client http;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // the engine stays off: the run is read back as it was queued
        return Deployments.shared(Deployments.withoutBackgroundJobs(Deployments.product()));
    }

    @AfterEach
    void close() {
        if (http != null) {
            http.close();
        }
    }

    /** The API as an anonymous caller, or with a session token as {@code Authorization: Bearer}. */
    private FlowlineApi api(String token) {
        if (http == null) {
            http = ClientBuilder.newClient();
        }
        var target = http.target(deploymentUrl.toString());
        if (token != null) {
            target = target.register((jakarta.ws.rs.client.ClientRequestFilter) request ->
                    request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        }
        return WebResourceFactory.newResource(FlowlineApi.class, target);
    }

    @Test
    void signUpLogInCreateAWorkspaceAndAWorkflowAndStartARun() {
        String email = newEmail();
        SignupResponse signedUp = api(null).signup(new SignupRequest(email, PASSWORD, "Typed Client"));
        assertThat(signedUp.email()).isEqualTo(email);
        assertThat(signedUp.emailVerified()).isFalse();

        LoginResponse login = api(null).login(new LoginRequest(email, PASSWORD));
        assertThat(login.tokenType()).isEqualTo("Bearer");
        assertThat(login.userId()).isEqualTo(signedUp.id());
        FlowlineApi me = api(login.token());
        me.verifyEmail(new TokenRequest(Mailbox.token(email, "Confirm your email", 1)));
        assertThat(me.getMe().emailVerified()).isTrue();

        WorkspaceResponse workspace = me.createWorkspace(new WorkspaceNameRequest("Typed"));
        assertThat(workspace.role()).isEqualTo(WorkspaceRole.OWNER);
        assertThat(workspace.personal()).isFalse();

        WorkflowResponse workflow = me.createWorkflow(workspace.id(), new WorkflowRequest("Greeter", "Says hello",
                null, 2, null, json("""
                        {"nodes":[{"id":"start","type":"trigger.manual","params":{}},
                                  {"id":"set","type":"data.set","params":{"values":{"greeting":"Hello"}}}],
                         "edges":[{"from":"start","to":"set"}]}""")));
        assertThat(workflow.workspaceId()).isEqualTo(workspace.id());
        assertThat(workflow.currentVersion()).isEqualTo(1);
        assertThat(workflow.concurrencyLimit()).isEqualTo(2);

        String key = UUID.randomUUID().toString();
        RunResponse run = me.startRun(workspace.id(), workflow.id(), key, new CreateRunRequest(json("{\"name\":\"Bo\"}")));
        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(run.trigger()).isEqualTo(RunTrigger.MANUAL);
        assertThat(run.input()).isEqualTo(json("{\"name\":\"Bo\"}"));
        assertThat(me.startRun(workspace.id(), workflow.id(), key, new CreateRunRequest(null)).id())
                .as("the same Idempotency-Key answers the same run").isEqualTo(run.id());

        assertThat(me.getRun(workspace.id(), run.id())).satisfies(read -> {
            assertThat(read.workflowId()).isEqualTo(workflow.id());
            assertThat(read.workflowVersion()).isEqualTo(1);
            assertThat(read.idempotencyKey()).isEqualTo(key);
            assertThat(read.queuedAt()).isNotNull();
        });
        RunResponsePage page = me.listWorkflowRuns(workspace.id(), workflow.id(), 10, null);
        assertThat(page.items()).extracting(RunResponse::id).containsExactly(run.id());
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void errorsArriveAsTheStatusesTheDocumentDeclares() {
        assertThatThrownBy(() -> api(null).getMe()).isInstanceOf(NotAuthorizedException.class);
        String email = newEmail();
        api(null).signup(new SignupRequest(email, PASSWORD, "Typed Client"));
        FlowlineApi me = api(api(null).login(new LoginRequest(email, PASSWORD)).token());
        assertThatThrownBy(() -> me.createWorkspace(new WorkspaceNameRequest(" ")))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.getResponse().getMediaType().toString()).startsWith("application/problem+json");
                    assertThat(e.getResponse().readEntity(String.class)).contains("\"field\":\"name\"");
                });
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
