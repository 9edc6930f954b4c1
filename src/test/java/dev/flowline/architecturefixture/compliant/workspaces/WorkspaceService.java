package dev.flowline.architecturefixture.compliant.workspaces;

import dev.flowline.architecturefixture.compliant.users.User;
import dev.flowline.architecturefixture.compliant.users.UserService;

public class WorkspaceService {
    UserService users;

    public User owner(String userId) {
        return users.find(userId);
    }
}
