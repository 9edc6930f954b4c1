package dev.flowline.users.api;

import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.users.UserService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signed-in user's account. */
@Path("/me")
@Tag(name = "Me")
@RolesAllowed(Roles.USER)
@SecurityRequirement(name = ApiContract.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    public static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    @Inject
    UserService users;

    @Inject
    CurrentSession currentSession;

    @GET
    @Operation(operationId = "getMe", summary = "The signed-in user's account")
    public MeResponse get() {
        return MeResponse.of(users.get(currentSession.userId()));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateMe", summary = "Change the display name")
    public MeResponse update(@NotNull @Valid UpdateProfileRequest body) {
        return MeResponse.of(users.rename(currentSession.userId(), body.name()));
    }

    @GET
    @Path("/settings")
    @Operation(operationId = "getMySettings", summary = "The user's settings (a JSON object; settings.billing is read-only)")
    public JsonObject settings() {
        return users.get(currentSession.userId()).settings();
    }

    @PATCH
    @Path("/settings")
    @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
    @Operation(operationId = "updateMySettings", summary = "Change settings with a JSON merge patch (RFC 7386); null removes a key")
    @APIResponse(responseCode = "200", description = "The settings after the patch")
    @APIResponse(responseCode = "400", description = "Not a JSON object, touches settings.billing, or too large")
    public JsonObject patchSettings(@NotNull JsonValue body) {
        // Read as any JSON value: a JsonObject parameter given an array would fail inside Bean Validation (500).
        if (body.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidInputException("A settings patch must be a JSON object.", new FieldError("body", "must be an object"));
        }
        return users.patchSettings(currentSession.userId(), body.asJsonObject());
    }
}
