package dev.flowline.auth.api;

import dev.flowline.auth.AuthService;
import dev.flowline.auth.IssuedSession;
import dev.flowline.platform.rest.ApiContract;
import dev.flowline.platform.rest.UserAgents;
import dev.flowline.platform.security.ClientAddresses;
import dev.flowline.platform.security.CurrentSession;
import dev.flowline.platform.security.Roles;
import dev.flowline.users.User;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Signing up and in: the public half of accounts. */
@Path("/auth")
@Tag(name = "Authentication")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class AuthResource {

    @Inject
    AuthService auth;

    @Inject
    SessionCookies cookies;

    @Inject
    CurrentSession currentSession;

    @Inject
    ClientAddresses clientAddresses;

    @Context
    UriInfo uriInfo;

    @Context
    HttpServletRequest request;

    @POST
    @Path("/signup")
    @SignInLimited
    @Operation(operationId = "signup", summary = "Create an account; a verification email is sent")
    @APIResponse(responseCode = "201", description = "Created; Location is /api/v1/me",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignupResponse.class)))
    @APIResponse(responseCode = "409", description = "The email address is taken (case-insensitive)")
    @APIResponse(responseCode = "429", description = "Too many sign-in requests, or sign-in busy; see Retry-After")
    public Response signup(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                   schema = @Schema(implementation = SignupRequest.class),
                                   examples = @ExampleObject(name = "signup",
                                           value = "{\"email\":\"ann@example.com\",\"password\":\"correct horse battery\",\"name\":\"Ann\"}")))
                           @NotNull @Valid SignupRequest body) {
        User user = auth.signup(body.email(), body.password(), body.name());
        return Response.created(uriInfo.getBaseUriBuilder().path("me").build()).entity(SignupResponse.of(user)).build();
    }

    @POST
    @Path("/verify-email")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "verifyEmail", summary = "Confirm the email address with the token from the verification email",
            description = "Must be called in a session of the account that signed up (the token alone is not enough:"
                    + " whoever clicks the link proves they can sign in to that account). Ends the account's other"
                    + " sessions.")
    @APIResponse(responseCode = "204", description = "Verified")
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token, or a token of another account")
    public Response verifyEmail(@NotNull @Valid TokenRequest body) {
        auth.verifyEmail(currentSession.userId(), currentSession.tokenHash().orElse(""), body.token());
        return Response.noContent().build();
    }

    @POST
    @Path("/verify-email/resend")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "resendEmailVerification", summary = "Send a new verification email (earlier links stop working)")
    @APIResponse(responseCode = "202", description = "Sent")
    @APIResponse(responseCode = "409", description = "Already verified")
    public Response resendVerification() {
        auth.resendVerification(currentSession.userId());
        return Response.accepted().build();
    }

    @POST
    @Path("/login")
    @SignInLimited
    @Operation(operationId = "login", summary = "Sign in; answers an opaque session token and sets it as an HttpOnly cookie")
    @APIResponse(responseCode = "200", description = "Signed in",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LoginResponse.class)))
    @APIResponse(responseCode = "401", description = "Wrong email or password")
    @APIResponse(responseCode = "429", description = "Too many failed logins from this address for this account, too"
            + " many sign-in requests, or sign-in busy; see Retry-After")
    public Response login(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                  schema = @Schema(implementation = LoginRequest.class),
                                  examples = @ExampleObject(name = "login",
                                          value = "{\"email\":\"ann@example.com\",\"password\":\"correct horse battery\"}")))
                          @NotNull @Valid LoginRequest body, @HeaderParam("User-Agent") String userAgent) {
        IssuedSession session = auth.login(body.email(), body.password(), UserAgents.clip(userAgent),
                clientAddresses.of(request));
        return Response.ok(new LoginResponse(session.token(), "Bearer", session.expiresAt(), session.userId()))
                .cookie(cookies.issue(session))
                .header("Cache-Control", "no-store")
                .build();
    }

    @POST
    @Path("/logout")
    @RolesAllowed(Roles.USER)
    @SecurityRequirement(name = ApiContract.BEARER)
    @Operation(operationId = "logout", summary = "Revoke the current session")
    @APIResponse(responseCode = "204", description = "Signed out")
    public Response logout() {
        currentSession.tokenHash().ifPresent(hash -> auth.logout(currentSession.userId(), hash));
        return Response.noContent().cookie(cookies.clear()).build();
    }

    @POST
    @Path("/password-reset/request")
    @SignInLimited
    @Operation(operationId = "requestPasswordReset", summary = "Email a password reset link; always 202 so nobody learns which emails exist")
    @APIResponse(responseCode = "202", description = "Accepted")
    @APIResponse(responseCode = "429", description = "Too many sign-in requests; see Retry-After")
    public Response requestPasswordReset(@NotNull @Valid PasswordResetRequest body) {
        auth.requestPasswordReset(body.email());
        return Response.accepted().build();
    }

    @POST
    @Path("/password-reset/confirm")
    @SignInLimited
    @Operation(operationId = "confirmPasswordReset", summary = "Set a new password with a reset token; signs out every session",
            description = "The link proves control of the mailbox, so the email address counts as verified too.")
    @APIResponse(responseCode = "204", description = "Password changed")
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token, or a weak password")
    @APIResponse(responseCode = "429", description = "Too many sign-in requests, or sign-in busy; see Retry-After")
    public Response confirmPasswordReset(@NotNull @Valid PasswordResetConfirmRequest body) {
        auth.confirmPasswordReset(body.token(), body.newPassword());
        return Response.noContent().build();
    }

}
