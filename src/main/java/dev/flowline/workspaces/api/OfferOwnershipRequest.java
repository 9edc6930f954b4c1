package dev.flowline.workspaces.api;

import jakarta.validation.constraints.NotNull;

import java.util.UUID;

/** Offer the workspace to the member {@code userId}. */
public record OfferOwnershipRequest(@NotNull UUID userId) {
}
