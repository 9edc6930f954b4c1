package dev.flowline.platform.rest;

import dev.flowline.platform.security.Callers;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The container's own errors (unknown path 404, 405, 406, 415, 401/403 from {@code @RolesAllowed}, 413 from the
 * size filter) as problem+json instead of HTML pages. The detail is ours, never the framework's message.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    /** Headers of the original response that still apply to the problem response. */
    private static final String[] KEPT_HEADERS = {"Allow", "Connection", "Retry-After"};

    @Context
    UriInfo uriInfo;

    @Context
    SecurityContext security;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (e instanceof ForbiddenException && Callers.userId(security.getUserPrincipal()).isEmpty()) {
            // @RolesAllowed refusing an anonymous caller: Jersey (Payara) says 401 itself, RESTEasy (WildFly) 403
            status = 401;
        }
        Problem problem = problem(status).withInstance(RequestPaths.path(uriInfo));
        Response.ResponseBuilder response = ProblemResponses.builder(problem);
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        for (String kept : KEPT_HEADERS) {
            if (original != null && original.getHeaderString(kept) != null) {
                response.header(kept, original.getHeaderString(kept));
            }
        }
        return response.build();
    }

    /** The problem of a container error with this status; shared with the servlet container's error page. */
    static Problem problem(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return Problem.of(slug(status), title, status, detail(status));
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "authentication-required";
            case 403 -> "access-denied";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "content-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request could not be read. Send a JSON body matching the documented schema.";
            case 401 -> "Sign in and send the session token as 'Authorization: Bearer <token>'.";
            case 403 -> "You are signed in but not allowed to do this.";
            case 404 -> "No resource at this path.";
            case 405 -> "This method is not supported on this path.";
            case 406 -> "This resource answers application/json only.";
            case 413 -> "The request body is larger than this server accepts.";
            case 415 -> "Send the body as application/json.";
            default -> status >= 500 ? "The server could not handle this request." : "The request was refused.";
        };
    }
}
