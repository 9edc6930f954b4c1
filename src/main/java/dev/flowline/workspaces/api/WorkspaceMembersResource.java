package dev.flowline.workspaces.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.pagination.Page;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workspaces.MemberService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Members of a workspace. */
@Path("/workspaces/{workspaceId}/members")
@Tag(name = "Workspaces")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceMembersResource {

    @Inject
    MemberService members;

    @Inject
    CurrentSession currentSession;

    @GET
    @Operation(operationId = "listMembers", summary = "Members with role and join date, in joining order (viewer or above)")
    public Page<MemberResponse> list(@PathParam("workspaceId") UUID workspaceId, @QueryParam("limit") Integer limit,
                                     @QueryParam("cursor") String cursor) {
        return members.list(workspaceId, currentSession.userId(), cursor, limit).map(MemberResponse::of);
    }

    @PATCH
    @Path("/{userId}")
    @Operation(operationId = "changeMemberRole", summary = "Change a member's role to ADMIN, MEMBER or VIEWER (admin or above; not the owner)")
    public MemberResponse changeRole(@PathParam("workspaceId") UUID workspaceId, @PathParam("userId") UUID userId,
                                     @NotNull @Valid ChangeRoleRequest body) {
        return MemberResponse.of(members.changeRole(workspaceId, currentSession.userId(), userId, body.role()));
    }

    @DELETE
    @Path("/{userId}")
    @Operation(operationId = "removeMember", summary = "Remove a member (admin or above; not the owner). The connections they shared into the"
            + " workspace are removed with them.")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response remove(@PathParam("workspaceId") UUID workspaceId, @PathParam("userId") UUID userId) {
        members.remove(workspaceId, currentSession.userId(), userId);
        return Response.noContent().build();
    }
}
