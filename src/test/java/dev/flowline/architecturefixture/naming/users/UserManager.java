package dev.flowline.architecturefixture.naming.users;

public class UserManager {
}
