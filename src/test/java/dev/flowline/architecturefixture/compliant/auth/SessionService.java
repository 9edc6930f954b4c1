package dev.flowline.architecturefixture.compliant.auth;

import dev.flowline.architecturefixture.compliant.users.UserService;

public class SessionService {
    UserService users;
}
