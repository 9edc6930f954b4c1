package dev.flowline.workflows.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.workflows.MissedFiringPolicy;
import dev.flowline.workflows.ScheduleService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** A workflow's schedule. */
@Path("/workspaces/{workspaceId}/workflows/{id}/schedule")
@Tag(name = "Schedules")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SchedulesResource {

    @Inject
    ScheduleService schedules;

    @Inject
    CurrentSession currentSession;

    @Context
    UriInfo uriInfo;

    @GET
    @Operation(operationId = "getSchedule", summary = "The schedule with its next five firings")
    public ScheduleResponse schedule(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        return ScheduleResponse.of(schedules.get(workspaceId, id, currentSession.userId()));
    }

    @PUT
    @Operation(operationId = "putSchedule", summary = "Set the schedule of a trigger.schedule workflow",
            description = "5-field cron (minute hour day-of-month month day-of-week; ranges, lists, steps, names) in an"
                    + " IANA time zone. A local time skipped by a daylight-saving change fires at the first instant"
                    + " after the gap; a repeated local time fires once, at its first occurrence. missedFiringPolicy says"
                    + " what happens to firings missed while Flowline was down: RUN_ONCE (default) fires the latest,"
                    + " RUN_ALL fires each (at most 10), SKIP fires none that are late.")
    @APIResponse(responseCode = "400", description = "Invalid cron expression or time zone")
    @APIResponse(responseCode = "409", description = "The workflow's trigger is not trigger.schedule")
    @APIResponse(responseCode = "200", description = "The schedule as set",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleResponse.class)))
    public ScheduleResponse putSchedule(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id,
                                        @NotNull @Valid ScheduleRequest body) {
        return ScheduleResponse.of(schedules.put(workspaceId, id, currentSession.userId(), body.cron(),
                body.timezone() == null ? "UTC" : body.timezone(),
                body.missedFiringPolicy() == null ? MissedFiringPolicy.RUN_ONCE : body.missedFiringPolicy()));
    }

    @DELETE
    @Operation(operationId = "deleteSchedule", summary = "Remove the schedule")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response deleteSchedule(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        schedules.delete(workspaceId, id, currentSession.userId());
        return Response.noContent().build();
    }

    @POST
    @Path("/pause")
    @Operation(operationId = "pauseSchedule", summary = "Pause the schedule")
    public ScheduleResponse pause(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        return ScheduleResponse.of(schedules.pause(workspaceId, id, currentSession.userId()));
    }

    @POST
    @Path("/resume")
    @Operation(operationId = "resumeSchedule", summary = "Resume the schedule from now (firings missed while paused are not made up)")
    public ScheduleResponse resume(@PathParam("workspaceId") UUID workspaceId, @PathParam("id") UUID id) {
        return ScheduleResponse.of(schedules.resume(workspaceId, id, currentSession.userId()));
    }

}
