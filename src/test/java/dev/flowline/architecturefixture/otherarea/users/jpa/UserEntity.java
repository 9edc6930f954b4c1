package dev.flowline.architecturefixture.otherarea.users.jpa;

public class UserEntity {
}
