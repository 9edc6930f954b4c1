package dev.flowline.platform.rest;

import dev.flowline.platform.persistence.ConnectionFailure;
import dev.flowline.platform.persistence.DatabaseAvailability;
import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WAR's error page (WEB-INF/web.xml): errors the servlet container answers itself instead of an exception
 * mapper (a header Jersey cannot parse, a path under WEB-INF, an exception that escaped a filter) as problem+json
 * instead of the server's HTML page. Errors Grizzly answers before the request reaches the WAR cannot come here
 * (see docs/api/errors.md). A problem already answered for the request ({@link Problem#REQUEST_ATTRIBUTE})
 * is answered again as it was. A connection failure (the database gone, e.g. under the authentication mechanism's
 * session lookup) is a 503 with {@code Retry-After}, as in {@link UnexpectedErrorMapper}.
 */
@WebServlet(ContainerErrorServlet.PATH)
public class ContainerErrorServlet extends HttpServlet {

    static final String PATH = "/flowline-error";

    private static final Logger LOG = Logger.getLogger(ContainerErrorServlet.class.getName());

    @Inject
    DatabaseAvailability database;

    // service, not doGet: the error dispatch keeps the request's method, and HttpServlet answers 501 to a PATCH
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number && number >= 400 ? number : 404;
        String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String requestId = RequestIds.of(request, response);
        Problem problem;
        if (request.getAttribute(Problem.REQUEST_ATTRIBUTE) instanceof Problem answered && answered.status() == status) {
            problem = answered;
        } else if (status >= 500 && error != null && ConnectionFailure.in(error)) {
            if (database != null) {
                database.failed(error);
            }
            problem = ServiceUnavailable.problem();
        } else if (status >= 500) {
            String errorId = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "Unexpected error " + errorId + " (" + status + ") on " + RequestPaths.loggable(path) + " requestId="
                    + requestId, error);
            problem = Problem.of("internal-error", "Internal server error", 500,
                    "The server failed to handle this request. Report error id " + errorId + " to the operators.");
        } else {
            problem = WebApplicationExceptionMapper.problem(status);
        }
        write(response, problem.instance() == null ? problem.withInstance(path).withRequestId(requestId)
                : problem.withRequestId(requestId));
    }

    static void write(HttpServletResponse response, Problem problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (problem.status() == 401 && response.getHeader("WWW-Authenticate") == null) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        if (problem.status() == 503) {
            response.setHeader("Retry-After", String.valueOf(DatabaseAvailability.RETRY_AFTER_SECONDS));
        }
        response.getOutputStream().write(ProblemResponses.json(problem).getBytes(StandardCharsets.UTF_8));
    }
}
