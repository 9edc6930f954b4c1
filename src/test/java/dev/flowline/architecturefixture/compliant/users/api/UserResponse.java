package dev.flowline.architecturefixture.compliant.users.api;

public record UserResponse(String id) {
}
