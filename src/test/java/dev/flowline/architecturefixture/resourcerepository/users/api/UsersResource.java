package dev.flowline.architecturefixture.resourcerepository.users.api;

import dev.flowline.architecturefixture.resourcerepository.users.UserRepository;

public class UsersResource {
    UserRepository users;
}
