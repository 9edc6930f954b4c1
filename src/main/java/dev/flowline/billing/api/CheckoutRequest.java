package dev.flowline.billing.api;

import dev.flowline.users.AccountPlan;
import jakarta.validation.constraints.NotNull;

import java.util.UUID;

/** Start a checkout for {@code plan} from {@code workspaceId}, a workspace the caller owns. */
public record CheckoutRequest(@NotNull UUID workspaceId, @NotNull AccountPlan plan) {
}
