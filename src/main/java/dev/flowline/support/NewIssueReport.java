package dev.flowline.support;

import java.util.UUID;

/** An issue report as a user files it; {@code workspaceId}, {@code userAgent} and {@code appVersion} are optional. */
public record NewIssueReport(UUID reporterUserId, UUID workspaceId, String text, String userAgent, String appVersion) {
}
