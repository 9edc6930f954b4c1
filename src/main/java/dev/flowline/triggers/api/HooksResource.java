package dev.flowline.triggers.api;

import dev.flowline.runs.WorkflowRun;
import dev.flowline.triggers.DeliveryGate;
import dev.flowline.triggers.HookReceiver;
import dev.flowline.triggers.ResumeReceiver;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public webhook URLs, authenticated by the HMAC signature, not by a session; and the resume URLs of waiting runs,
 * which are their own credential (a signature in the path).
 *
 * <p>One instance for the application (it holds nothing per request): a resource made for each request cost the
 * webhook path about 6% of the server's CPU (Jersey's and Weld's injection into the new instance).
 */
@ApplicationScoped
@Path("/hooks")
@Tag(name = "Webhooks")
@PermitAll
public class HooksResource {

    /** The longest {@code Prefer: wait=N} honoured, in seconds (RFC 7240). */
    static final int MAX_WAIT_SECONDS = 30;
    private static final Pattern WAIT = Pattern.compile("(?:^|[,;])\\s*wait\\s*=\\s*(\\d{1,9})\\s*(?=$|[,;])");

    /** What a delivery answers: the run it started. */
    public record Accepted(UUID runId, String status, boolean duplicate) {
    }

    /** What a delivery that asked to wait answers when its run ended in time. */
    public record Finished(UUID runId, String status, boolean duplicate, JsonObject output, String error) {
    }

    @Inject
    HookReceiver receiver;

    @Inject
    DeliveryGate gate;

    @Inject
    ResumeReceiver resumes;

    /** What a resume call answers: the run it resumed. */
    public record Resumed(UUID runId) {
    }

    @POST
    @Path("/{webhookId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "deliverWebhook", summary = "Deliver a webhook: the JSON or form body becomes the run's input",
            description = "Takes no session: the request is authenticated by its signature headers, made with the"
                    + " webhook's secret. Headers: X-Flowline-Timestamp (Unix seconds, within 5 minutes of the server's clock),"
                    + " X-Flowline-Signature: sha256=<lowercase hex HMAC-SHA256(secret, timestamp + \".\" + raw body)>"
                    + " (several comma-separated values are accepted during a rotation), and optionally"
                    + " X-Flowline-Delivery, an id that makes retries of the same delivery answer the same run."
                    + " A replay of a signed request (the same timestamp and body) answers the first run too, with"
                    + " any delivery id."
                    + " With Prefer: wait=N (N at most 30 seconds) the answer waits for the run to end: 200 with its"
                    + " output when it ended in time, else the usual 202.")
    @APIResponse(responseCode = "200", description = "Prefer: wait=N and the run ended in time: its status and output",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Finished.class)))
    @APIResponse(responseCode = "202", description = "Run queued (or queued earlier for this delivery id)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong signature, or a stale timestamp")
    @APIResponse(responseCode = "402", description = "The workspace's runs for this period are used up")
    @APIResponse(responseCode = "404", description = "No workflow listens here")
    @APIResponse(responseCode = "409", description = "The workflow is disabled")
    @APIResponse(responseCode = "413", description = "Body over the size limit")
    @APIResponse(responseCode = "429", description = "Too many deliveries in flight on this server; see Retry-After")
    public Response deliver(@PathParam("webhookId") String webhookId,
                            @HeaderParam("X-Flowline-Timestamp") String timestamp,
                            @HeaderParam("X-Flowline-Signature") String signature,
                            @HeaderParam("X-Flowline-Delivery") String deliveryId,
                            @HeaderParam("Content-Type") String contentType,
                            @HeaderParam("Prefer") String prefer,
                            // the raw bytes the signature covers (Payara would document byte[] as an untyped array)
                            @RequestBody(description = "The raw body: JSON or a form; the signature covers its bytes",
                                    content = @Content(mediaType = MediaType.WILDCARD,
                                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
                            byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        HookReceiver.Received received = gate.through(() -> receiver.receive(webhookId, timestamp, signature,
                deliveryId, contentType, raw));
        WorkflowRun run = received.run();
        Optional<Integer> wait = requestedWait(prefer);
        if (wait.isPresent()) {
            // after the receiving transaction committed: the engine can only start the run now
            run = receiver.awaitEnd(run, Duration.ofSeconds(wait.get()));
            if (run.status().finished()) {
                return Response.ok(new Finished(run.id(), run.status().name(), received.duplicate(), run.output(),
                        run.error())).header("Preference-Applied", "wait=" + wait.get()).build();
            }
        }
        return Response.accepted(new Accepted(run.id(), run.status().name(), received.duplicate())).build();
    }

    @POST
    @Path("/resume/{runId}/{nodeId}/{signature}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "resumeRun", summary = "Resume a run waiting at a flow.wait node; the JSON body becomes the node's output",
            description = "Takes no session: the URL is the credential (the resume URL a workflow gets with"
                    + " {{run.resumeUrls.<nodeId>}}). It works once: the run goes on along the wait's \"resumed\" edges"
                    + " with {\"resumed\": true, \"body\": <this body, {} when empty>, \"resumedAt\"} as the node's"
                    + " output. It may be called before the run reaches the wait, which then ends at once. A wrong"
                    + " signature, an unknown run or node, a run that ended and a wait already resumed or timed out"
                    + " all answer 404.")
    @APIResponse(responseCode = "202", description = "The wait is resumed; the run goes on",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Resumed.class)))
    @APIResponse(responseCode = "400", description = "The body is not valid JSON")
    @APIResponse(responseCode = "404", description = "No wait to resume here (unknown, used or expired URL)")
    @APIResponse(responseCode = "413", description = "Body over the size limit")
    @APIResponse(responseCode = "415", description = "A body that is not application/json")
    public Response resume(@PathParam("runId") UUID runId, @PathParam("nodeId") String nodeId,
                           @PathParam("signature") String signature,
                           @HeaderParam("Content-Type") String contentType,
                           // read raw, as a webhook's: any JSON value is taken, not only an object
                           @RequestBody(description = "Any JSON value (application/json), or nothing",
                                   content = @Content(mediaType = MediaType.WILDCARD,
                                           schema = @Schema(type = SchemaType.STRING, format = "binary")))
                           byte[] body) {
        UUID resumed = resumes.resume(runId, nodeId, signature, contentType, body == null ? new byte[0] : body);
        return Response.accepted(new Resumed(resumed)).build();
    }

    /** The seconds of a {@code Prefer: wait=N} preference, capped; empty without one. */
    static Optional<Integer> requestedWait(String prefer) {
        if (prefer == null) {
            return Optional.empty();
        }
        Matcher wait = WAIT.matcher(prefer.toLowerCase(Locale.ROOT));
        return wait.find() ? Optional.of(Math.min(MAX_WAIT_SECONDS, Integer.parseInt(wait.group(1)))) : Optional.empty();
    }
}
