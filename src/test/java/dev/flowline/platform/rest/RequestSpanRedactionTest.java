package dev.flowline.platform.rest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The path a request span keeps: a resume URL's signature replaced, every other path as it came. */
class RequestSpanRedactionTest {

    @Test
    void aResumeUrlKeepsItsRunAndNodeButNotItsSignature() {
        String path = "/api/v1/hooks/resume/8c1a7f0e-5b7e-4d4e-9d6b-0f3c2a1b9e77/approval/"
                + "Zk3x_9-abcdefghijklmnopqrstuvwxyz0123456789A";

        assertThat(RequestSpanRedaction.redacted(path))
                .isEqualTo("/api/v1/hooks/resume/8c1a7f0e-5b7e-4d4e-9d6b-0f3c2a1b9e77/approval/{signature}");
        assertThat(RequestSpanRedaction.redacted("/flowline/api/v1/hooks/resume/r/n/sig/"))
                .isEqualTo("/flowline/api/v1/hooks/resume/r/n/{signature}");
    }

    @Test
    void otherPathsAreKept() {
        assertThat(RequestSpanRedaction.redacted("/api/v1/hooks/6f1d")).isEqualTo("/api/v1/hooks/6f1d");
        assertThat(RequestSpanRedaction.redacted("/api/v1/workspaces/w/runs/r")).isEqualTo("/api/v1/workspaces/w/runs/r");
        assertThat(RequestSpanRedaction.redacted("/api/v1/hooks/resume/r")).isEqualTo("/api/v1/hooks/resume/r");
    }
}
