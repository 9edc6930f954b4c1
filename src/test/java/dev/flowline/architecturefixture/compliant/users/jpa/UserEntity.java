package dev.flowline.architecturefixture.compliant.users.jpa;

public class UserEntity {
    String id;
}
