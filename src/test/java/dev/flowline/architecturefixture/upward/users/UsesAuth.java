package dev.flowline.architecturefixture.upward.users;

import dev.flowline.architecturefixture.upward.auth.Session;

public class UsesAuth {
    Session session;
}
