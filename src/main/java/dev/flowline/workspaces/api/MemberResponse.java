package dev.flowline.workspaces.api;

import dev.flowline.workspaces.Member;
import dev.flowline.workspaces.WorkspaceRole;

import java.time.Instant;
import java.util.UUID;

public record MemberResponse(UUID userId, String email, String name, WorkspaceRole role, Instant joinedAt) {

    static MemberResponse of(Member member) {
        return new MemberResponse(member.userId(), member.email(), member.name(), member.role(), member.joinedAt());
    }
}
