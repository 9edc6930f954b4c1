package dev.flowline.platform.rest;

import dev.flowline.platform.errors.PreconditionFailedException;
import jakarta.ws.rs.core.EntityTag;

/** ETags are JPA {@code @Version} numbers; {@code If-Match} names the version a client read. */
public final class ETags {

    private ETags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The expected version, or null when the header is absent or {@code *}; a malformed tag matches nothing (412). */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        try {
            return Long.parseLong(tag.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw new PreconditionFailedException("If-Match does not name a version of this resource.");
        }
    }
}
