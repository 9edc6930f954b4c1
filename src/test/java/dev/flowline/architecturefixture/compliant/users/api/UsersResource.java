package dev.flowline.architecturefixture.compliant.users.api;

import dev.flowline.architecturefixture.compliant.users.UserService;

public class UsersResource {
    UserService users;

    public UserResponse get(String id) {
        return new UserResponse(users.find(id).id());
    }
}
