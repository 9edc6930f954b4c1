package dev.flowline.support.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.rest.UserAgents;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.support.IssueReport;
import dev.flowline.support.NewIssueReport;
import dev.flowline.support.SupportService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Issue reports filed by signed-in users. */
@Path("/support/issues")
@Tag(name = "Support")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SupportIssuesResource {

    @Inject
    SupportService support;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @POST
    @Operation(operationId = "createIssueReport", summary = "Report an issue")
    @APIResponse(responseCode = "201", description = "Stored; Location names the report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssueReportResponse.class)))
    public Response create(@NotNull @Valid CreateIssueReportRequest body, @HeaderParam("User-Agent") String userAgentHeader) {
        String userAgent = body.userAgent() != null ? body.userAgent() : UserAgents.clip(userAgentHeader);
        IssueReport report = support.file(new NewIssueReport(currentSession.userId(), body.workspaceId(),
                body.text().strip(), userAgent, body.appVersion()));
        return Response.created(uriInfo.getAbsolutePathBuilder().path(report.id().toString()).build())
                .entity(IssueReportResponse.of(report))
                .build();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getIssueReport", summary = "One of the caller's own issue reports")
    @APIResponse(responseCode = "404", description = "No such report of the caller's")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssueReportResponse.class)))
    public IssueReportResponse get(@PathParam("id") UUID id) {
        return IssueReportResponse.of(support.get(id, currentSession.userId()));
    }

}
