package dev.flowline.architecturefixture.otherarea.workspaces;

import dev.flowline.architecturefixture.otherarea.users.jpa.UserEntity;

public class MemberService {
    UserEntity member;
}
