package dev.flowline.runs;

import dev.flowline.platform.crypto.CapabilitySignatures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The resume URL of a {@code flow.wait} node of a run:
 * {@code <flowline.public-base-url>/api/v1/hooks/resume/<runId>/<nodeId>/<signature>}, where the signature is
 * {@link CapabilitySignatures}' over {@code "resume:<runId>:<nodeId>"}. Derived, never stored: any node of the run
 * (also one before the wait) can compute it, and only the server can. It is a capability, so it is never recorded in
 * clear: {@link #redact} takes the signature out of whatever a step keeps.
 */
@ApplicationScoped
public class ResumeUrls {

    /** The purpose of the sub-key: a resume signature is worth nothing elsewhere. */
    static final String LABEL = "flowline resume urls v1";
    public static final String REDACTED = "[redacted]";
    /** The path of the resume endpoint under the API's root, up to the run id. */
    public static final String PATH = "/api/v1/hooks/resume/";
    private static final Pattern SIGNED = Pattern.compile(
            "(/hooks/resume/[0-9A-Fa-f-]{36}/[A-Za-z0-9_-]{1,64}/)[A-Za-z0-9_-]{16,}={0,2}");

    @Inject
    CapabilitySignatures signatures;

    @Inject
    @ConfigProperty(name = "flowline.public-base-url", defaultValue = "http://localhost:8080")
    String publicBaseUrl;

    public ResumeUrls() {
    }

    public ResumeUrls(CapabilitySignatures signatures, String publicBaseUrl) {
        this.signatures = signatures;
        this.publicBaseUrl = publicBaseUrl;
    }

    public String url(UUID runId, String nodeId) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + PATH + runId + "/" + nodeId + "/" + signatures.sign(LABEL, message(runId, nodeId));
    }

    /** Whether {@code signature} is the one of the wait {@code nodeId} of run {@code runId} (constant time). */
    public boolean valid(UUID runId, String nodeId, String signature) {
        return signatures.verify(LABEL, message(runId, nodeId), signature);
    }

    /** {@code text} with the signature of every resume URL in it replaced by {@value #REDACTED}. */
    public static String redact(String text) {
        return text.contains("/hooks/resume/") ? SIGNED.matcher(text).replaceAll("$1" + REDACTED) : text;
    }

    private static String message(UUID runId, String nodeId) {
        return "resume:" + runId + ":" + nodeId;
    }
}
