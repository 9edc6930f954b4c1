package dev.flowline.architecturefixture.compliant.users;

public class UserService {
    UserRepository users;

    public User find(String id) {
        return users.find(id);
    }
}
