package dev.flowline.triggers;

import dev.flowline.platform.errors.UnsupportedMediaException;
import dev.flowline.platform.input.ClientJson;
import dev.flowline.runs.ResumeUrls;
import dev.flowline.runs.RunQueue;
import dev.flowline.runs.RunResume;
import dev.flowline.runs.RunResumeRepository;
import dev.flowline.triggers.TriggerErrors.ResumeUrlNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Calls of resume URLs ({@link ResumeUrls}): a valid signature, a {@code flow.wait} node of the run's version, the run
 * unfinished and the wait not yet ended records the call's body, and in the same transaction wakes the run, which
 * takes the body as the node's output. Single use: the record is the wait's only end ({@link RunResumeRepository}).
 */
@ApplicationScoped
public class ResumeReceiver {

    @Inject
    ResumeUrls urls;

    @Inject
    RunResumeRepository resumes;

    @Inject
    RunQueue queue;

    @Inject
    Clock clock;

    /** The run that was resumed. */
    @Transactional
    public UUID resume(UUID run, String nodeId, String signature, String contentType, byte[] body) {
        // first, and whatever the rest: without the signature nothing else is told
        if (run == null || !urls.valid(run, nodeId, signature)) {
            throw new ResumeUrlNotFoundException();
        }
        JsonValue json = parse(contentType, body);
        Instant now = clock.instant();
        if (!resumes.record(run, nodeId, RunResume.Outcome.RESUMED, json, now)) {
            throw new ResumeUrlNotFoundException();
        }
        queue.wake(run, now);
        return run;
    }

    /** Any JSON value; nothing is {@code {}}. Other media types are a 415, invalid JSON a 400 (as webhooks). */
    static JsonValue parse(String contentType, byte[] body) {
        if (body.length == 0) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            throw new UnsupportedMediaException("Send the resume body as application/json (or nothing).");
        }
        return ClientJson.parse(body);
    }
}
