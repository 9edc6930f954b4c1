package dev.flowline.architecturefixture.compliant.users;

public record User(String id) {
}
