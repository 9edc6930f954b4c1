package dev.flowline.architecturefixture.compliant.users;

public interface UserRepository {
    User find(String id);
}
