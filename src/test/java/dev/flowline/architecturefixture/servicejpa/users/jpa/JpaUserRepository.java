package dev.flowline.architecturefixture.servicejpa.users.jpa;

public class JpaUserRepository {
}
