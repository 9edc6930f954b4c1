package dev.flowline.architecturefixture.servicejpa.users;

import dev.flowline.architecturefixture.servicejpa.users.jpa.JpaUserRepository;

public class UserService {
    JpaUserRepository users;
}
