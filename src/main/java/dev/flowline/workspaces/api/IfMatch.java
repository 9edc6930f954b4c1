package dev.flowline.workspaces.api;

import dev.flowline.workspaces.WorkspaceErrors.StaleWorkspaceException;
import jakarta.ws.rs.core.EntityTag;

/** ETags are the JPA version in quotes; {@code If-Match} names the version a client read. */
final class IfMatch {

    private IfMatch() {
    }

    static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The expected version, or null when the header is absent or {@code *}; a malformed tag matches nothing (412). */
    static Long expectedVersion(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        String tag = header.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        try {
            return Long.parseLong(tag.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw new StaleWorkspaceException();
        }
    }
}
