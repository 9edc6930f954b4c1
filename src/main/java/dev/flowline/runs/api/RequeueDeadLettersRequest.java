package dev.flowline.runs.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.UUID;

public record RequeueDeadLettersRequest(@NotNull @Size(min = 1, max = 100) List<@NotNull UUID> ids) {
}
