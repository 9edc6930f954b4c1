package dev.flowline.audit.api;

import dev.flowline.audit.AuditFilter;
import dev.flowline.audit.AuditService;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Who changed what in a workspace, for its owner and admins. */
@Path("/workspaces/{workspaceId}/audit")
@Tag(name = "Audit")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Produces({MediaType.APPLICATION_JSON, AuditAnswers.NDJSON})
public class WorkspaceAuditResource {

    @Inject
    AuditService audit;

    @Inject
    CurrentSession currentSession;

    @Context
    HttpHeaders headers;

    @GET
    @Operation(operationId = "listWorkspaceAudit", summary = "The workspace's audit log, newest first (owner or admin); filter by event, actor and time")
    @APIResponse(responseCode = "200", description = "A page of events, or with format=ndjson every selected event, one JSON object per line",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditPage.class)),
                    @Content(mediaType = AuditAnswers.NDJSON, schema = @Schema(implementation = AuditEventResponse.class))})
    public Response list(@PathParam("workspaceId") UUID workspaceId,
                         @Parameter(description = "Only this event, e.g. workflow.updated") @QueryParam("event") String event,
                         @Parameter(description = "Only the events of this actor (a user id)", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
                         @QueryParam("actor") String actor,
                         @Parameter(description = "At or after this time (inclusive), RFC 3339", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                         @QueryParam("since") String since,
                         @Parameter(description = "Before this time (exclusive), RFC 3339", schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                         @QueryParam("until") String until,
                         @Parameter(description = "json (a page, the default) or ndjson (every selected event, streamed)")
                         @QueryParam("format") String format,
                         @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        AuditFilter filter = AuditAnswers.filter(event, actor, since, until);
        UUID caller = currentSession.userId();
        return AuditAnswers.answer(AuditAnswers.ndjson(format, headers), cursor, limit,
                (after, size) -> audit.workspaceEvents(workspaceId, caller, filter, after, size));
    }
}
