package dev.flowline.runs;

import dev.flowline.platform.crypto.CapabilitySignatures;
import dev.flowline.platform.crypto.EncryptionKeys;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Resume URLs: their shape under the public base URL, what they open, and their redaction. */
class ResumeUrlsTest {

    private static final UUID RUN = UUID.fromString("6f1c1c4e-6a55-4c4f-9d7e-1b2f3a4b5c6d");
    private final CapabilitySignatures signatures =
            new CapabilitySignatures(EncryptionKeys.parse(EncryptionKeys.generateEntry("k1")));
    private final ResumeUrls urls = new ResumeUrls(signatures, "https://flowline.example.com/");

    @Test
    void aUrlIsUnderTheApiOfThePublicBaseUrlAndOpensOnlyItsRunAndNode() {
        String url = urls.url(RUN, "approval");

        assertThat(url).matches("https://flowline\\.example\\.com/api/v1/hooks/resume/" + RUN
                + "/approval/[A-Za-z0-9_-]{43}");
        String signature = url.substring(url.lastIndexOf('/') + 1);
        assertThat(urls.valid(RUN, "approval", signature)).isTrue();
        assertThat(urls.valid(RUN, "other", signature)).isFalse();
        assertThat(urls.valid(UUID.randomUUID(), "approval", signature)).isFalse();
        assertThat(urls.url(RUN, "approval")).as("derived: the same every time").isEqualTo(url);
        assertThat(new ResumeUrls(signatures, "http://localhost:8080").url(RUN, "approval"))
                .isEqualTo("http://localhost:8080/api/v1/hooks/resume/" + RUN + "/approval/" + signature);
    }

    @Test
    void redactionTakesOutTheSignatureOfEveryResumeUrlAndNothingElse() {
        String url = urls.url(RUN, "approval");
        String other = urls.url(UUID.randomUUID(), "b-2");
        String text = "{\"approve\":\"" + url + "\",\"reject\":\"" + other + "?x=1\"}";

        String redacted = ResumeUrls.redact(text);

        assertThat(redacted).isEqualTo("{\"approve\":\"https://flowline.example.com/api/v1/hooks/resume/" + RUN
                + "/approval/[redacted]\",\"reject\":\"" + other.substring(0, other.lastIndexOf('/') + 1)
                + "[redacted]?x=1\"}");
        assertThat(ResumeUrls.redact(redacted)).isEqualTo(redacted);
        assertThat(ResumeUrls.redact("https://example.com/hooks/abc/def")).isEqualTo("https://example.com/hooks/abc/def");
    }
}
