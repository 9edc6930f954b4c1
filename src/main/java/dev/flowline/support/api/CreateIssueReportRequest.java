package dev.flowline.support.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/**
 * {@code userAgent} defaults to the request's User-Agent header; {@code appVersion} is the client's version.
 */
public record CreateIssueReportRequest(
        @NotBlank @Size(max = 10_000) String text,
        UUID workspaceId,
        @Size(max = 512) String userAgent,
        @Size(max = 64) String appVersion) {
}
