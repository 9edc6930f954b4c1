package dev.flowline.client;

import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A typed client of part of the Flowline API, written against the OpenAPI document (the kept copy,
 * {@code src/test/resources/openapi.json}) and not against the server's classes: the paths and operation ids
 * ({@code signup}, {@code login}, {@code verifyEmail}, {@code createWorkspace}, {@code createWorkflow},
 * {@code startRun}, {@code getRun}, {@code listWorkflowRuns}) and the schemas as records of the same names. A Jakarta
 * REST client proxy (Jersey's {@code WebResourceFactory}) or a MicroProfile Rest Client implements it; a generated
 * client (see docs/api/generating-a-client.md) has the same shape. Properties the document adds later are ignored by JSON-B, so the
 * client keeps working as the API grows.
 */
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface FlowlineApi {

    @POST
    @Path("auth/signup")
    SignupResponse signup(SignupRequest body);

    @POST
    @Path("auth/login")
    LoginResponse login(LoginRequest body);

    @POST
    @Path("auth/verify-email")
    void verifyEmail(TokenRequest body);

    @GET
    @Path("me")
    MeResponse getMe();

    @POST
    @Path("workspaces")
    WorkspaceResponse createWorkspace(WorkspaceNameRequest body);

    @POST
    @Path("workspaces/{workspaceId}/workflows")
    WorkflowResponse createWorkflow(@PathParam("workspaceId") UUID workspaceId, WorkflowRequest body);

    @POST
    @Path("workspaces/{workspaceId}/workflows/{id}/runs")
    RunResponse startRun(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID workflowId,
                         @HeaderParam("Idempotency-Key") String idempotencyKey, CreateRunRequest body);

    @GET
    @Path("workspaces/{workspaceId}/runs/{runId}")
    RunResponse getRun(@PathParam("workspaceId") UUID workspaceId, @PathParam("runId") UUID runId);

    @GET
    @Path("workspaces/{workspaceId}/workflows/{id}/runs")
    RunResponsePage listWorkflowRuns(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID workflowId,
                                     @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor);

    // ---- the document's schemas

    record SignupRequest(String email, String password, String name) {
    }

    record SignupResponse(UUID id, String email, String name, boolean emailVerified, Instant createdAt) {
    }

    record LoginRequest(String email, String password) {
    }

    record LoginResponse(String token, String tokenType, Instant expiresAt, UUID userId) {
    }

    record TokenRequest(String token) {
    }

    record MeResponse(UUID id, String email, String name, boolean emailVerified, Instant createdAt) {
    }

    record WorkspaceNameRequest(String name) {
    }

    enum PlanTier { SOLO, WORKSPACE }

    enum WorkspaceRole { OWNER, ADMIN, MEMBER, VIEWER }

    record WorkspaceResponse(UUID id, String name, boolean personal, PlanTier plan, WorkspaceRole role,
                             Instant createdAt, Instant updatedAt) {
    }

    enum Backoff { FIXED, EXPONENTIAL }

    record RetryPolicyRequest(Integer maxAttempts, Backoff backoff, Integer initialDelaySeconds,
                              Integer maxDelaySeconds) {
    }

    record WorkflowRequest(String name, String description, Boolean enabled, Integer concurrencyLimit,
                           RetryPolicyRequest retryPolicy, JsonObject definition) {
    }

    record WorkflowResponse(UUID id, UUID workspaceId, String name, String description, boolean enabled,
                            int concurrencyLimit, int currentVersion, JsonObject definition, Instant createdAt,
                            Instant updatedAt) {
    }

    record CreateRunRequest(JsonObject input) {
    }

    enum RunStatus { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED, DEAD_LETTERED }

    enum RunTrigger { MANUAL, SCHEDULE, WEBHOOK, RETRY, RERUN, ERROR }

    record RunResponse(UUID id, UUID workflowId, int workflowVersion, RunStatus status, RunTrigger trigger,
                       String idempotencyKey, JsonObject input, JsonObject output, String error, int attempt,
                       Instant queuedAt, Instant startedAt, Instant finishedAt) {
    }

    record RunResponsePage(List<RunResponse> items, String nextCursor) {
    }
}
