package dev.flowline.testing;

import dev.flowline.platform.config.StartupSummary;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Test-only endpoint (never in the product WAR) that lets client-side tests read what the server logs: the request
 * log's lines from the moment a test starts capturing, and the start-up summary.
 */
@Path("/test-support/log")
@PermitAll
public class TestLogResource {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LINES.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    /** Held here: a logger only weakly referenced may be collected with its handler. */
    private static final Logger REQUEST_LOG = Logger.getLogger("dev.flowline.platform.rest.RequestLog");

    @Inject
    StartupSummary summary;

    @Context
    ServletContext servletContext;

    @POST
    @Path("/capture")
    public Response capture() {
        REQUEST_LOG.removeHandler(CAPTURE);
        REQUEST_LOG.addHandler(CAPTURE);
        LINES.clear();
        return Response.noContent().build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject lines() {
        return Json.createObjectBuilder().add("lines", Json.createArrayBuilder(LINES)).build();
    }

    @GET
    @Path("/startup-summary")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject startupSummary() {
        return Json.createObjectBuilder().add("summary", summary.summary(servletContext)).build();
    }
}
