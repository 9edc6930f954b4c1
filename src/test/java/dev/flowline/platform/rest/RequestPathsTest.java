package dev.flowline.platform.rest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an error log line shows of a request's path: never a resume URL's signature. */
class RequestPathsTest {

    @Test
    void aResumeUrlIsLoggedWithoutItsSignature() {
        assertThat(RequestPaths.loggable("/api/v1/hooks/resume/6f1c1c4e-6a55-4c4f-9d7e-1b2f3a4b5c6d/approval/"
                + "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6"))
                .isEqualTo("/api/v1/hooks/resume/6f1c1c4e-6a55-4c4f-9d7e-1b2f3a4b5c6d/approval/[redacted]");
        assertThat(RequestPaths.loggable("/api/v1/hooks/abc")).isEqualTo("/api/v1/hooks/abc");
        assertThat(RequestPaths.loggable("/api/v1/workspaces/1/runs")).isEqualTo("/api/v1/workspaces/1/runs");
        assertThat(RequestPaths.loggable(null)).isNull();
    }
}
