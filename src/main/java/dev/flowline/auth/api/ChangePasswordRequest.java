package dev.flowline.auth.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record ChangePasswordRequest(
        @NotNull @Size(max = 128) String currentPassword,
        @NotNull @Size(min = 8, max = 128) String newPassword) {
}
