package dev.flowline.auth.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A token from an email link. */
public record TokenRequest(@NotBlank @Size(max = 128) String token) {
}
