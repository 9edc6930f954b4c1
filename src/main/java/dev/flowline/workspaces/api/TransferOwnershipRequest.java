package dev.flowline.workspaces.api;

import jakarta.validation.constraints.NotNull;

import java.util.UUID;

public record TransferOwnershipRequest(@NotNull UUID newOwnerId) {
}
