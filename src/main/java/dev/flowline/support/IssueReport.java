package dev.flowline.support;

import java.time.Instant;
import java.util.UUID;

/** A stored issue report. */
public record IssueReport(UUID id, UUID reporterUserId, UUID workspaceId, String text, String userAgent,
                          String appVersion, Instant createdAt) {
}
