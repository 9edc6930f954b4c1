package dev.flowline.workspaces.api;

import jakarta.validation.constraints.NotNull;

import java.util.UUID;

/** The body of the retired one-step transfer (answered 410: see {@code WorkspacesResource.transferOwnership}). */
public record TransferOwnershipRequest(@NotNull UUID newOwnerId) {
}
