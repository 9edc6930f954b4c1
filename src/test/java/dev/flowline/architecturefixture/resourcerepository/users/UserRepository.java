package dev.flowline.architecturefixture.resourcerepository.users;

public interface UserRepository {
}
