package dev.flowline.connections.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** Shares one of the caller's personal connections ({@code GET /me/connections}) into the workspace. */
public record ShareConnectionRequest(@NotNull UUID connectionId,
                                     @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name) {
}
