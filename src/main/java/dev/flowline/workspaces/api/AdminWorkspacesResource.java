package dev.flowline.workspaces.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.Membership;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Installation operators only (flowline.operators). */
@Path("/admin/workspaces")
@Tag(name = "Operators")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminWorkspacesResource {

    @Inject
    WorkspaceService workspaces;

    @Inject
    CurrentSession currentSession;

    @PUT
    @Path("/{id}/plan")
    @Operation(operationId = "setWorkspacePlan", summary = "Set a workspace's plan tier (operators listed in flowline.operators only)")
    @APIResponse(responseCode = "403", description = "Not an operator")
    @APIResponse(responseCode = "200", description = "The workspace with its new plan",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkspaceResponse.class)))
    public WorkspaceResponse setPlan(@PathParam("id") UUID id, @NotNull @Valid SetPlanRequest body) {
        Workspace workspace = workspaces.setPlan(id, currentSession.userId(), body.tier());
        return WorkspaceResponse.of(new Membership(workspace, null));
    }
}
