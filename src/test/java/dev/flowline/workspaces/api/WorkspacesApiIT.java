package dev.flowline.workspaces.api;

import dev.flowline.platform.security.OpaqueTokens;
import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.Mailbox;
import dev.flowline.testing.Sql;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workspaces over HTTP on the real database: the life of a team (create, invite, accept, roles, ownership offers,
 * leave, delete), personal workspaces kept to their owner, plans and seat limits, usage, and the table-driven
 * tenancy test. New workspace-scoped endpoints join {@link #TENANCY}.
 */
class WorkspacesApiIT extends ApiOverHttp {

    /** Listed in flowline.operators (arquillian.xml). */
    private static final String OPERATOR_EMAIL = "operator@flowline.test";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.product();
    }

    // --- the life of a team ---

    @Test
    void aNewAccountHasItsPersonalWorkspace() {
        String token = newVerifiedUser().token();
        Answer list = api.get("workspaces", token);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().getJsonArray("items")).hasSize(1);
        JsonObject personal = list.json().getJsonArray("items").getJsonObject(0);
        assertThat(personal.getBoolean("personal")).isTrue();
        assertThat(personal.getString("role")).isEqualTo("OWNER");
        assertThat(api.send("DELETE", "workspaces/" + personal.getString("id"), null, null, token).problemType())
                .isEqualTo("personal-workspace");
    }

    @Test
    void aTeamIsCreatedInvitedJoinedAndSeesItsUsage() {
        User owner = newVerifiedUser();
        Answer created = api.post("workspaces", "{\"name\":\"Acme Ops\"}", owner.token());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/workspaces/" + created.json().getString("id")));
        assertThat(created.json().getString("plan")).isEqualTo("WORKSPACE");
        String workspace = created.json().getString("id");

        User colleague = newVerifiedUser();
        Answer invited = api.post("workspaces/" + workspace + "/invitations",
                "{\"email\":\"" + colleague.email().toUpperCase() + "\",\"role\":\"MEMBER\"}", owner.token());
        assertThat(invited.status()).isEqualTo(201);
        assertThat(invited.json().getString("status")).isEqualTo("PENDING");
        assertThat(api.get("workspaces/" + workspace + "/usage", owner.token()).json().getJsonObject("seats").getInt("used")).isEqualTo(2);

        Answer mine = api.get("me/invitations", colleague.token());
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().getJsonArray("items")).singleElement()
                .satisfies(i -> assertThat(i.asJsonObject().getString("workspaceName")).isEqualTo("Acme Ops"));
        assertThat(mine.json().containsKey("nextCursor")).isFalse();
        assertThat(api.get("me/invitations?limit=0", colleague.token()).status()).isEqualTo(400);

        String token = Mailbox.token(colleague.email(), "You are invited to Acme Ops", 1);
        Answer accepted = api.post("invitations/accept", "{\"token\":\"" + token + "\"}", colleague.token());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().getString("role")).isEqualTo("MEMBER");
        assertThat(api.post("invitations/accept", "{\"token\":\"" + token + "\"}", colleague.token()).problemType())
                .isEqualTo("invitation-accepted");

        Answer members = api.get("workspaces/" + workspace + "/members", colleague.token());
        assertThat(members.json().getJsonArray("items")).extracting(v -> v.asJsonObject().getString("role"))
                .containsExactly("OWNER", "MEMBER");
        Answer usage = api.get("workspaces/" + workspace + "/usage", colleague.token());
        assertThat(usage.status()).isEqualTo(200);
        assertThat(usage.json().getJsonObject("seats")).isEqualTo(Json.createObjectBuilder().add("used", 2).add("limit", 10).build());
        assertThat(usage.json().getJsonObject("runs").getInt("used")).isZero();
        assertThat(usage.json().getJsonObject("runs").getInt("allocation")).isEqualTo(10_000);
        assertThat(usage.json().getString("periodStart")).endsWith("-01T00:00:00Z");
    }

    @Test
    void theSeatLimitCountsPendingInvitationsAndAnswers409() {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Full house");
        for (int i = 0; i < 9; i++) {
            assertThat(invite(owner.token(), workspace, "seat-" + i + "-" + UUID.randomUUID() + "@example.com", "VIEWER").status())
                    .isEqualTo(201);
        }
        Answer over = invite(owner.token(), workspace, "one-too-many-" + UUID.randomUUID() + "@example.com", "VIEWER");
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.problemType()).isEqualTo("seat-limit-reached");
        assertThat(over.json().getString("detail")).contains("10 seats");

        // revoking frees the seat
        String pendingId = api.get("workspaces/" + workspace + "/invitations?limit=1", owner.token())
                .json().getJsonArray("items").getJsonObject(0).getString("id");
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/invitations/" + pendingId, null, null, owner.token()).status())
                .isEqualTo(204);
        assertThat(invite(owner.token(), workspace, "now-fits-" + UUID.randomUUID() + "@example.com", "VIEWER").status())
                .isEqualTo(201);
    }

    @Test
    void invitationsAreAnsweredOnceAndOnlyByTheirAddressee() {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Answers");
        User invitee = newVerifiedUser();
        invite(owner.token(), workspace, invitee.email(), "VIEWER");
        assertThat(invite(owner.token(), workspace, invitee.email(), "VIEWER").problemType()).isEqualTo("invitation-pending");
        String token = Mailbox.token(invitee.email(), "You are invited to Answers", 1);

        User stranger = newVerifiedUser();
        assertThat(api.post("invitations/accept", tokenJson(token), stranger.token()).problemType())
                .isEqualTo("invitation-for-another-email");
        assertThat(api.post("invitations/accept", tokenJson("no-such-token"), invitee.token()).status()).isEqualTo(404);

        assertThat(api.post("invitations/decline", tokenJson(token)).status()).isEqualTo(204);
        assertThat(api.post("invitations/accept", tokenJson(token), invitee.token()).problemType()).isEqualTo("invitation-declined");

        // a resent invitation invalidates the first link; a revoked one cannot be accepted
        invite(owner.token(), workspace, invitee.email(), "VIEWER");
        String first = Mailbox.token(invitee.email(), "You are invited to Answers", 2);
        String invitationId = api.get("workspaces/" + workspace + "/invitations", owner.token())
                .json().getJsonArray("items").getJsonObject(0).getString("id");
        assertThat(api.post("workspaces/" + workspace + "/invitations/" + invitationId + "/resend", null, owner.token()).status())
                .isEqualTo(200);
        String second = Mailbox.token(invitee.email(), "You are invited to Answers", 3);
        Answer tooSoon = api.post("workspaces/" + workspace + "/invitations/" + invitationId + "/resend", null, owner.token());
        assertThat(tooSoon.status()).as("one resend per interval (600 s)").isEqualTo(429);
        assertThat(tooSoon.problemType()).isEqualTo("invitation-resent-recently");
        assertThat(tooSoon.header("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isBetween(1L, 600L));
        assertThat(api.post("invitations/accept", tokenJson(first), invitee.token()).status()).isEqualTo(404);
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/invitations/" + invitationId, null, null, owner.token()).status())
                .isEqualTo(204);
        assertThat(api.post("invitations/accept", tokenJson(second), invitee.token()).problemType()).isEqualTo("invitation-revoked");
    }

    @Test
    void anUnverifiedAddressCannotTakeAnInvitation() {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Verified only");
        String email = "unverified-" + UUID.randomUUID() + "@example.com";
        String token = api.signupAndLogin(email, PASSWORD);
        invite(owner.token(), workspace, email, "ADMIN");
        String invitation = Mailbox.token(email, "You are invited to Verified only", 1);
        assertThat(api.post("invitations/accept", tokenJson(invitation), token).problemType()).isEqualTo("email-not-verified");
        assertThat(api.get("me/invitations", token).status()).isEqualTo(403);

    }

    @Test
    void anAdminWhoseAddressIsNoLongerVerifiedCannotInvite() throws SQLException {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Verified inviters");
        User admin = join(owner, workspace, "ADMIN");
        // an account from before verification was asked for (an unverified one joins nothing, owns only its
        // personal workspace, and that takes no invitations)
        assertThat(Sql.update("UPDATE users SET email_verified_at = NULL WHERE id = ?::uuid", admin.id())).isEqualTo(1);
        Answer refused = invite(admin.token(), workspace, "someone-" + UUID.randomUUID() + "@example.com", "MEMBER");
        assertThat(refused.status()).as("invitations are emails in the inviter's name").isEqualTo(403);
        assertThat(refused.problemType()).isEqualTo("email-not-verified");
    }

    @Test
    void aPersonalWorkspaceIsItsOwnersAlone() throws SQLException {
        User owner = newVerifiedUser();
        String personal = personalWorkspace(owner.token());
        Answer refused = invite(owner.token(), personal, "friend-" + UUID.randomUUID() + "@example.com", "MEMBER");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("personal-workspace");
        assertThat(refused.json().getString("detail")).contains("nobody can be invited").contains("team workspace");
        assertThat(Sql.column("SELECT id::text FROM workspace_invitations WHERE workspace_id = ?::uuid", personal)).isEmpty();

        // an invitation still pending from before they were refused is not honoured either
        User guest = newVerifiedUser("guest");
        String token = OpaqueTokens.generate();
        assertThat(Sql.update("""
                INSERT INTO workspace_invitations (id, workspace_id, email, role, token_hash, status, invited_by,
                                                   created_at, expires_at)
                VALUES (gen_random_uuid(), ?::uuid, ?, 'MEMBER', ?, 'PENDING', ?::uuid, now(), now() + interval '1 day')""",
                personal, guest.email(), OpaqueTokens.hash(token), owner.id())).isEqualTo(1);
        Answer accepted = api.post("invitations/accept", tokenJson(token), guest.token());
        assertThat(accepted.status()).isEqualTo(409);
        assertThat(accepted.problemType()).isEqualTo("personal-workspace");
        assertThat(api.get("workspaces/" + personal, guest.token()).status()).isEqualTo(403);
        assertThat(Sql.column("SELECT user_id::text FROM workspace_members WHERE workspace_id = ?::uuid", personal))
                .containsExactly(owner.id());

        // nor is it handed over
        Answer offered = api.post("workspaces/" + personal + "/ownership-offer", userJson(guest.id()), owner.token());
        assertThat(offered.status()).isEqualTo(409);
        assertThat(offered.problemType()).isEqualTo("personal-workspace");
    }

    @Test
    void teamWorkspacesNeedAVerifiedAddressAndStopAtTheAccountPlansLimit() {
        String unverified = api.signupAndLogin("unverified-" + UUID.randomUUID() + "@example.com", PASSWORD);
        Answer refused = api.post("workspaces", "{\"name\":\"Free runs\"}", unverified);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.problemType()).isEqualTo("email-not-verified");
        assertThat(api.get("workspaces", unverified).json().getJsonArray("items")).as("the personal one still")
                .singleElement().satisfies(w -> assertThat(w.asJsonObject().getBoolean("personal")).isTrue());

        User owner = newVerifiedUser("owner");
        List<String> teams = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            teams.add(createWorkspace(owner.token(), "Team " + i));
        }
        Answer fourth = api.post("workspaces", "{\"name\":\"Team 4\"}", owner.token());
        assertThat(fourth.status()).as("FREE: 3 team workspaces besides the personal one").isEqualTo(402);
        assertThat(fourth.problemType()).isEqualTo("workspace-limit-reached");
        assertThat(api.send("DELETE", "workspaces/" + teams.get(0), null, null, owner.token()).status()).isEqualTo(204);
        teams.set(0, createWorkspace(owner.token(), "Team 4"));

        // nor can a full owner be offered another one
        User other = newVerifiedUser("other");
        String theirs = createWorkspace(other.token(), "Theirs");
        User full = join(other, theirs, "ADMIN", owner);
        Answer handOver = api.post("workspaces/" + theirs + "/ownership-offer", userJson(full.id()), other.token());
        assertThat(handOver.status()).isEqualTo(409);
        assertThat(handOver.problemType()).isEqualTo("new-owner-workspace-limit");

        // or accept one once full: the limit holds when ownership moves, not only when it is offered
        User roomy = join(other, theirs, "ADMIN");
        assertThat(api.post("workspaces/" + theirs + "/ownership-offer", userJson(roomy.id()), other.token()).status())
                .isEqualTo(201);
        for (int i = 1; i <= 3; i++) {
            createWorkspace(roomy.token(), "Roomy " + i);
        }
        Answer accepted = api.post("workspaces/" + theirs + "/ownership-offer/accept", null, roomy.token());
        assertThat(accepted.status()).isEqualTo(409);
        assertThat(accepted.problemType()).isEqualTo("new-owner-workspace-limit");
        assertThat(api.get("workspaces/" + theirs, other.token()).json().getString("role")).isEqualTo("OWNER");
        assertThat(api.get("workspaces/" + theirs + "/ownership-offer", roomy.token()).json().getString("status"))
                .as("the offer stays for when they have room").isEqualTo("OPEN");
    }

    @Test
    void rolesChangeOwnershipTransfersAndTheOwnerCannotLeave() {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Roles");
        User admin = join(owner, workspace, "ADMIN");
        User member = join(owner, workspace, "MEMBER");

        assertThat(api.post("workspaces/" + workspace + "/leave", null, owner.token()).problemType()).isEqualTo("owner-required");
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/members/" + owner.id(), null, null, admin.token()).problemType())
                .isEqualTo("owner-required");
        assertThat(api.send("PATCH", "workspaces/" + workspace + "/members/" + member.id(), "application/json",
                "{\"role\":\"OWNER\"}", admin.token()).status()).isEqualTo(400);
        Answer demoted = api.send("PATCH", "workspaces/" + workspace + "/members/" + member.id(), "application/json",
                "{\"role\":\"VIEWER\"}", admin.token());
        assertThat(demoted.status()).isEqualTo(200);
        assertThat(demoted.json().getString("role")).isEqualTo("VIEWER");

        // ownership moves only when the member it is offered to accepts
        Answer oneStep = api.post("workspaces/" + workspace + "/transfer-ownership",
                "{\"newOwnerId\":\"" + admin.id() + "\"}", owner.token());
        assertThat(oneStep.status()).as("the one-step transfer is gone, not quietly an offer").isEqualTo(410);
        assertThat(oneStep.problemType()).isEqualTo("ownership-transfer-needs-acceptance");
        assertThat(api.get("workspaces/" + workspace, admin.token()).json().getString("role")).isEqualTo("ADMIN");
        assertThat(api.post("workspaces/" + workspace + "/ownership-offer", userJson(member.id()), admin.token())
                .problemType()).isEqualTo("owner-only");
        assertThat(api.post("workspaces/" + workspace + "/ownership-offer", userJson(owner.id()), owner.token())
                .status()).isEqualTo(400);
        assertThat(api.post("workspaces/" + workspace + "/ownership-offer", userJson(UUID.randomUUID().toString()),
                owner.token()).problemType()).isEqualTo("member-not-found");

        Answer offered = api.post("workspaces/" + workspace + "/ownership-offer", userJson(admin.id()), owner.token());
        assertThat(offered.status()).isEqualTo(201);
        assertThat(offered.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/workspaces/" + workspace + "/ownership-offer"));
        assertThat(offered.json().getString("offeredBy")).isEqualTo(owner.id());
        assertThat(offered.json().getString("offeredTo")).isEqualTo(admin.id());
        assertThat(offered.json().getString("status")).isEqualTo("OPEN");
        assertThat(Mailbox.body(Mailbox.await(admin.email(), "You are offered the ownership of Roles", 1)))
                .contains("/ownership-offer/accept");
        assertThat(api.get("workspaces/" + workspace, owner.token()).json().getString("role"))
                .as("nothing moves on an offer").isEqualTo("OWNER");
        assertThat(api.get("workspaces/" + workspace, admin.token()).json().getString("role")).isEqualTo("ADMIN");
        assertThat(api.get("workspaces/" + workspace + "/ownership-offer", member.token()).json().getString("offeredTo"))
                .as("members see it").isEqualTo(admin.id());
        assertThat(api.get("me/ownership-offers", admin.token()).json().getJsonArray("items")).singleElement()
                .satisfies(o -> assertThat(o.asJsonObject().getString("workspaceName")).isEqualTo("Roles"));
        assertThat(api.get("me/ownership-offers", member.token()).json().getJsonArray("items")).isEmpty();

        for (String answer : List.of("accept", "decline")) {
            for (User other : List.of(member, owner)) {
                Answer refused = api.post("workspaces/" + workspace + "/ownership-offer/" + answer, null, other.token());
                assertThat(refused.status()).as(answer + " by " + other.label()).isEqualTo(403);
                assertThat(refused.problemType()).isEqualTo("not-the-offeree");
            }
        }
        Answer accepted = api.post("workspaces/" + workspace + "/ownership-offer/accept", null, admin.token());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().getString("role")).isEqualTo("OWNER");
        assertThat(api.get("workspaces/" + workspace, owner.token()).json().getString("role")).isEqualTo("ADMIN");
        assertThat(api.get("workspaces/" + workspace + "/ownership-offer", admin.token()).problemType())
                .as("answered").isEqualTo("no-ownership-offer");
        assertThat(api.post("workspaces/" + workspace + "/ownership-offer/accept", null, admin.token()).status())
                .isEqualTo(404);

        assertThat(api.post("workspaces/" + workspace + "/leave", null, owner.token()).status()).isEqualTo(204);
        assertThat(api.get("workspaces/" + workspace, owner.token()).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "workspaces/" + workspace + "/members/" + member.id(), null, null, admin.token()).status())
                .isEqualTo(204);
        assertThat(api.get("workspaces/" + workspace, member.token()).status()).isEqualTo(403);

        assertThat(api.send("DELETE", "workspaces/" + workspace, null, null, admin.token()).status()).isEqualTo(204);
        assertThat(api.get("workspaces/" + workspace, admin.token()).status()).isEqualTo(403);
    }

    @Test
    void anOwnershipOfferIsWithdrawnReplacedDeclinedOrExpires() throws SQLException {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Offers");
        User first = join(owner, workspace, "ADMIN");
        User second = join(owner, workspace, "MEMBER");
        String offer = "workspaces/" + workspace + "/ownership-offer";

        assertThat(api.post(offer, userJson(first.id()), owner.token()).status()).isEqualTo(201);
        assertThat(api.send("DELETE", offer, null, null, first.token()).problemType()).isEqualTo("owner-only");
        assertThat(api.send("DELETE", offer, null, null, owner.token()).status()).isEqualTo(204);
        assertThat(api.post(offer + "/accept", null, first.token()).problemType()).isEqualTo("no-ownership-offer");
        assertThat(api.send("DELETE", offer, null, null, owner.token()).status()).isEqualTo(404);

        // offering again replaces the offer: the first offeree can no longer take it
        assertThat(api.post(offer, userJson(first.id()), owner.token()).status()).isEqualTo(201);
        assertThat(api.post(offer, userJson(second.id()), owner.token()).status()).isEqualTo(201);
        assertThat(api.post(offer + "/accept", null, first.token()).problemType()).isEqualTo("not-the-offeree");
        assertThat(api.get("me/ownership-offers", first.token()).json().getJsonArray("items")).isEmpty();
        assertThat(api.post(offer + "/decline", null, second.token()).status()).isEqualTo(204);
        assertThat(api.post(offer + "/accept", null, second.token()).status()).isEqualTo(404);

        // an expired offer cannot be accepted
        assertThat(api.post(offer, userJson(first.id()), owner.token()).status()).isEqualTo(201);
        assertThat(Sql.update("UPDATE workspace_ownership_offers SET created_at = now() - interval '8 days',"
                + " expires_at = now() - interval '1 day' WHERE workspace_id = ?::uuid", workspace)).isEqualTo(1);
        assertThat(api.get(offer, owner.token()).json().getString("status")).isEqualTo("EXPIRED");
        Answer late = api.post(offer + "/accept", null, first.token());
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.problemType()).isEqualTo("ownership-offer-expired");
        assertThat(api.get("me/ownership-offers", first.token()).json().getJsonArray("items")).isEmpty();
        assertThat(api.get("workspaces/" + workspace, owner.token()).json().getString("role")).isEqualTo("OWNER");
        assertThat(api.get("workspaces/" + workspace, first.token()).json().getString("role")).isEqualTo("ADMIN");

        // an offer goes with its offeree
        assertThat(api.post(offer, userJson(second.id()), owner.token()).status()).isEqualTo(201);
        assertThat(api.post("workspaces/" + workspace + "/leave", null, second.token()).status()).isEqualTo(204);
        assertThat(api.get(offer, owner.token()).status()).isEqualTo(404);
    }

    @Test
    void renameHonoursIfMatch() {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Before");
        Answer read = api.get("workspaces/" + workspace, owner.token());
        String etag = read.header("ETag").orElseThrow();
        Answer renamed = api.send(api.request("workspaces/" + workspace, owner.token()).header("Content-Type", "application/json")
                .header("If-Match", etag).method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"After\"}")).build());
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().getString("name")).isEqualTo("After");
        Answer stale = api.send(api.request("workspaces/" + workspace, owner.token()).header("Content-Type", "application/json")
                .header("If-Match", etag).method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"Lost\"}")).build());
        assertThat(stale.status()).isEqualTo(412);
        assertThat(api.get("workspaces/" + workspace, owner.token()).json().getString("name")).isEqualTo("After");
    }

    @Test
    void operatorsSetPlansAndASoloWorkspaceCannotInvite() {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Going solo");
        assertThat(api.send("PUT", "admin/workspaces/" + workspace + "/plan", "application/json", "{\"tier\":\"SOLO\"}", owner.token())
                .problemType()).isEqualTo("operator-only");

        String operator = operatorToken();
        Answer set = api.send("PUT", "admin/workspaces/" + workspace + "/plan", "application/json", "{\"tier\":\"SOLO\"}", operator);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().getString("plan")).isEqualTo("SOLO");

        Answer invite = invite(owner.token(), workspace, "friend-" + UUID.randomUUID() + "@example.com", "MEMBER");
        assertThat(invite.status()).isEqualTo(402);
        assertThat(invite.problemType()).isEqualTo("plan-feature-unavailable");
        assertThat(invite.json().getString("detail")).contains("SOLO").contains("more than one member");
        JsonObject usage = api.get("workspaces/" + workspace + "/usage", owner.token()).json();
        assertThat(usage.getString("plan")).isEqualTo("SOLO");
        assertThat(usage.getJsonObject("seats").getInt("limit")).isEqualTo(1);
        assertThat(usage.getJsonObject("runs").getBoolean("overageAllowed")).isFalse();
        assertThat(api.send("PUT", "admin/workspaces/" + UUID.randomUUID() + "/plan", "application/json", "{\"tier\":\"SOLO\"}", operator)
                .status()).isEqualTo(404);
    }

    @Test
    void listsArePaginatedWithCursors() {
        User owner = newVerifiedUser();
        for (int i = 0; i < 3; i++) {
            createWorkspace(owner.token(), "Page " + i);
        }
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Answer page = api.get("workspaces?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), owner.token());
            assertThat(page.status()).isEqualTo(200);
            page.json().getJsonArray("items").forEach(v -> names.add(v.asJsonObject().getString("name")));
            cursor = page.json().containsKey("nextCursor") ? page.json().getString("nextCursor") : null;
        } while (cursor != null);
        assertThat(names).containsExactly("Personal", "Page 0", "Page 1", "Page 2");
        assertThat(api.get("workspaces?limit=0", owner.token()).status()).isEqualTo(400);
        assertThat(api.get("workspaces?cursor=garbage", owner.token()).status()).isEqualTo(400);
    }

    // --- tenancy: every workspace-scoped endpoint, every role ---

    /** A workspace-scoped call: the weakest role allowed (null: nobody, e.g. operator-only), and whether it destroys. */
    record Call(String name, WorkspaceRoleName minimum, boolean destructive, Function<Fixture, Request> request) {
    }

    enum WorkspaceRoleName { VIEWER, MEMBER, ADMIN, OWNER }

    record Request(String method, String path, String body) {
    }

    /**
     * A workspace with a user in every role, a member to act on (offered the ownership), a pending invitation, and an
     * outsider.
     */
    record Fixture(String workspace, User owner, User admin, User member, User viewer, User target, User outsider,
                   String invitationId, String workflowId, String runId, String hookWorkflowId, String scheduledWorkflowId,
                   String outsiderWorkspace) {
        String workflows() {
            return "workspaces/" + workspace + "/workflows/";
        }

        User as(WorkspaceRoleName role) {
            return switch (role) {
                case OWNER -> owner;
                case ADMIN -> admin;
                case MEMBER -> member;
                case VIEWER -> viewer;
            };
        }
    }

    static final String WORKFLOW = "{\"name\":\"W\",\"definition\":{\"nodes\":[{\"id\":\"start\",\"type\":\"trigger.manual\","
            + "\"params\":{}}],\"edges\":[]}}";

    static final List<Call> TENANCY = List.of(
            new Call("read workspace", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace(), null)),
            new Call("rename", WorkspaceRoleName.ADMIN, false, f -> new Request("PATCH", "workspaces/" + f.workspace(), "{\"name\":\"Renamed\"}")),
            new Call("delete", WorkspaceRoleName.OWNER, true, f -> new Request("DELETE", "workspaces/" + f.workspace(), null)),
            new Call("offer ownership", WorkspaceRoleName.OWNER, false, f -> new Request("POST",
                    "workspaces/" + f.workspace() + "/ownership-offer", userJson(f.target().id()))),
            new Call("read ownership offer", WorkspaceRoleName.VIEWER, false, f -> new Request("GET",
                    "workspaces/" + f.workspace() + "/ownership-offer", null)),
            new Call("withdraw ownership offer", WorkspaceRoleName.OWNER, true, f -> new Request("DELETE",
                    "workspaces/" + f.workspace() + "/ownership-offer", null)),
            // only the offeree (the fixture's target, in no role of the table) accepts or declines
            new Call("accept ownership offer", null, true, f -> new Request("POST",
                    "workspaces/" + f.workspace() + "/ownership-offer/accept", null)),
            new Call("decline ownership offer", null, true, f -> new Request("POST",
                    "workspaces/" + f.workspace() + "/ownership-offer/decline", null)),
            new Call("leave", WorkspaceRoleName.VIEWER, true, f -> new Request("POST", "workspaces/" + f.workspace() + "/leave", null)),
            new Call("usage", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/usage", null)),
            new Call("list members", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/members", null)),
            new Call("change role", WorkspaceRoleName.ADMIN, false, f -> new Request("PATCH",
                    "workspaces/" + f.workspace() + "/members/" + f.target().id(), "{\"role\":\"VIEWER\"}")),
            new Call("remove member", WorkspaceRoleName.ADMIN, true, f -> new Request("DELETE",
                    "workspaces/" + f.workspace() + "/members/" + f.target().id(), null)),
            new Call("invite", WorkspaceRoleName.ADMIN, false, f -> new Request("POST", "workspaces/" + f.workspace() + "/invitations",
                    "{\"email\":\"t-" + UUID.randomUUID() + "@example.com\",\"role\":\"VIEWER\"}")),
            new Call("list invitations", WorkspaceRoleName.ADMIN, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/invitations", null)),
            new Call("resend invitation", WorkspaceRoleName.ADMIN, false, f -> new Request("POST",
                    "workspaces/" + f.workspace() + "/invitations/" + f.invitationId() + "/resend", null)),
            new Call("revoke invitation", WorkspaceRoleName.ADMIN, true, f -> new Request("DELETE",
                    "workspaces/" + f.workspace() + "/invitations/" + f.invitationId(), null)),
            new Call("set plan (operators only)", null, true, f -> new Request("PUT", "admin/workspaces/" + f.workspace() + "/plan",
                    "{\"tier\":\"SOLO\"}")),
            new Call("read the audit log", WorkspaceRoleName.ADMIN, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/audit", null)),
            new Call("export the audit log", WorkspaceRoleName.ADMIN, false, f -> new Request("GET", "workspaces/" + f.workspace()
                    + "/audit?format=ndjson", null)),
            // no member reads it here: operators only (nothing is destroyed; true skips the members' success check)
            new Call("read the audit log (operators only)", null, true, f -> new Request("GET", "admin/workspaces/"
                    + f.workspace() + "/audit", null)),
            new Call("report an issue about the workspace", WorkspaceRoleName.VIEWER, false, f -> new Request("POST", "support/issues",
                    "{\"text\":\"about this workspace\",\"workspaceId\":\"" + f.workspace() + "\"}")),
            new Call("list workflows", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows(), null)),
            new Call("create workflow", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", f.workflows(), WORKFLOW)),
            new Call("read workflow", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows() + f.workflowId(), null)),
            new Call("replace workflow", WorkspaceRoleName.MEMBER, true, f -> new Request("PUT", f.workflows() + f.workflowId(), WORKFLOW)),
            new Call("delete workflow", WorkspaceRoleName.MEMBER, true, f -> new Request("DELETE", f.workflows() + f.workflowId(), null)),
            new Call("list versions", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows() + f.workflowId() + "/versions", null)),
            new Call("read version", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows() + f.workflowId() + "/versions/1", null)),
            new Call("restore version", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", f.workflows() + f.workflowId() + "/versions/1/restore", null)),
            new Call("start run", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", f.workflows() + f.workflowId() + "/runs", "{}")),
            new Call("list workflow runs", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows() + f.workflowId() + "/runs", null)),
            new Call("list runs", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/runs", null)),
            new Call("read run", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/runs/" + f.runId(), null)),
            new Call("list run steps", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/runs/" + f.runId() + "/steps", null)),
            new Call("cancel run", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", "workspaces/" + f.workspace() + "/runs/" + f.runId() + "/cancel", null)),
            new Call("rerun", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", "workspaces/" + f.workspace() + "/runs/" + f.runId() + "/rerun", null)),
            new Call("read schedule", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows() + f.scheduledWorkflowId() + "/schedule", null)),
            new Call("set schedule", WorkspaceRoleName.MEMBER, false, f -> new Request("PUT", f.workflows() + f.scheduledWorkflowId() + "/schedule",
                    "{\"cron\":\"0 8 * * *\"}")),
            new Call("pause schedule", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", f.workflows() + f.scheduledWorkflowId() + "/schedule/pause", null)),
            new Call("resume schedule", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", f.workflows() + f.scheduledWorkflowId() + "/schedule/resume", null)),
            new Call("delete schedule", WorkspaceRoleName.MEMBER, true, f -> new Request("DELETE", f.workflows() + f.scheduledWorkflowId() + "/schedule", null)),
            new Call("read webhook", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows() + f.hookWorkflowId() + "/webhook", null)),
            new Call("rotate webhook secret", WorkspaceRoleName.MEMBER, false, f -> new Request("POST", f.workflows() + f.hookWorkflowId() + "/webhook/rotate", null)),
            new Call("webhook deliveries", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", f.workflows() + f.hookWorkflowId() + "/webhook/deliveries", null)),
            new Call("list dead letters", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/dead-letters", null)),
            new Call("requeue a dead letter", WorkspaceRoleName.MEMBER, true, f -> new Request("POST", "workspaces/"
                    + f.workspace() + "/dead-letters/" + UUID.randomUUID() + "/requeue", null)),
            new Call("requeue dead letters", WorkspaceRoleName.MEMBER, true, f -> new Request("POST", "workspaces/" + f.workspace()
                    + "/dead-letters/requeue", "{\"ids\":[\"" + UUID.randomUUID() + "\"]}")),
            new Call("discard dead letter", WorkspaceRoleName.MEMBER, true, f -> new Request("DELETE", "workspaces/" + f.workspace()
                    + "/dead-letters/" + UUID.randomUUID(), null)),
            new Call("list connections", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/connections", null)),
            new Call("share a connection", WorkspaceRoleName.MEMBER, true, f -> new Request("POST", "workspaces/" + f.workspace()
                    + "/connections", "{\"connectionId\":\"" + UUID.randomUUID() + "\"}")),
            new Call("unshare a connection", WorkspaceRoleName.VIEWER, true, f -> new Request("DELETE", "workspaces/" + f.workspace()
                    + "/connections/" + UUID.randomUUID(), null)),
            new Call("list credentials", WorkspaceRoleName.VIEWER, false, f -> new Request("GET", "workspaces/" + f.workspace() + "/credentials", null)),
            new Call("share a credential", WorkspaceRoleName.MEMBER, true, f -> new Request("POST", "workspaces/" + f.workspace()
                    + "/credentials", "{\"credentialId\":\"" + UUID.randomUUID() + "\"}")),
            new Call("unshare a credential", WorkspaceRoleName.VIEWER, true, f -> new Request("DELETE", "workspaces/" + f.workspace()
                    + "/credentials/" + UUID.randomUUID(), null)),
            // billing is off in this deployment: the owner gets 404 billing-disabled, everyone else 403 first
            // (BillingApiIT covers the owner's success with Stripe configured)
            new Call("start a checkout", WorkspaceRoleName.OWNER, true, f -> new Request("POST", "billing/checkout",
                    "{\"workspaceId\":\"" + f.workspace() + "\",\"plan\":\"PRO\"}")));


    @Test
    void everyWorkspaceEndpointRefusesOutsidersAndWeakerRolesAndChangesNothing() throws SQLException {
        Fixture f = fixture();
        String before = snapshot(f.workspace());
        List<String> failures = new ArrayList<>();
        for (Call call : TENANCY) {
            List<User> refused = new ArrayList<>(List.of(f.outsider()));
            for (WorkspaceRoleName role : WorkspaceRoleName.values()) {
                if (call.minimum() == null || role.ordinal() < call.minimum().ordinal()) {
                    refused.add(f.as(role));
                }
            }
            for (User user : refused) {
                Request r = call.request().apply(f);
                Answer answer = api.send(r.method(), r.path(), r.body() == null ? null : "application/json", r.body(), user.token());
                if (answer.status() != 403 || !answer.contentType().startsWith("application/problem+json")) {
                    failures.add(call.name() + " as " + user.label() + ": " + answer);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(snapshot(f.workspace())).isEqualTo(before);

        for (Call call : TENANCY.stream().filter(c -> !c.destructive()).toList()) {
            Request r = call.request().apply(f);
            User user = f.as(call.minimum());
            Answer answer = api.send(r.method(), r.path(), r.body() == null ? null : "application/json", r.body(), user.token());
            assertThat(answer.status()).as(call.name() + " as " + user.label() + ": " + answer).isBetween(200, 299);
        }
    }

    @Test
    void anotherWorkspacesIdsAreNotFoundUnderYourOwnWorkspace() throws SQLException {
        Fixture f = fixture();
        String before = snapshot(f.workspace());
        String theirs = "workspaces/" + f.workspace() + "/";
        String mine = "workspaces/" + f.outsiderWorkspace() + "/";
        List<String> ids = List.of(f.workflowId(), f.runId(), f.hookWorkflowId(), f.scheduledWorkflowId());
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Call call : TENANCY) {
            Request r = call.request().apply(f);
            if (!r.path().startsWith(theirs) || ids.stream().noneMatch(r.path()::contains)) {
                continue;
            }
            tried++;
            String path = mine + r.path().substring(theirs.length());
            Answer answer = api.send(r.method(), path, r.body() == null ? null : "application/json", r.body(),
                    f.outsider().token());
            if (answer.status() != 404 || !answer.contentType().startsWith("application/problem+json")) {
                failures.add(call.name() + " with another workspace's id: " + answer);
            }
        }
        assertThat(tried).isGreaterThanOrEqualTo(15);
        assertThat(failures).isEmpty();
        assertThat(snapshot(f.workspace())).isEqualTo(before);
    }

    @Test
    void withoutAStripeKeyBillingAnswers404AndChangesNothing() {
        User owner = newVerifiedUser();
        String workspace = createWorkspace(owner.token(), "Unbilled");
        for (Answer answer : List.of(api.get("billing", owner.token()), api.post("billing/portal", null, owner.token()),
                api.post("billing/checkout", "{\"workspaceId\":\"" + workspace + "\",\"plan\":\"PRO\"}", owner.token()),
                api.post("billing/stripe/webhook", "{\"id\":\"evt_1\",\"object\":\"event\"}", null))) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
            assertThat(answer.problemType()).isEqualTo("billing-disabled");
        }
        assertThat(api.get("workspaces/" + workspace, owner.token()).json().getString("plan")).isEqualTo("WORKSPACE");
    }

    // --- the audit log ---

    /** One action on the workspace and the audit events it must write, and no others. */
    record Audited(String action, List<String> events, Function<AuditStory, Answer> call) {
    }

    /** What the actions of {@link #eachWorkspaceActionWritesItsAuditEventsAndNothingElse} work on. */
    record AuditStory(String workspace, User owner, User colleague, String workflows, String[] ids) {
    }

    /** A run of it stays parked for an hour, so it is still there to cancel. */
    private static final String SLOW_WORKFLOW = "{\"name\":\"Slow\",\"definition\":{\"nodes\":[{\"id\":\"start\","
            + "\"type\":\"trigger.manual\",\"params\":{}},{\"id\":\"wait\",\"type\":\"flow.delay\",\"params\":"
            + "{\"seconds\":3600}}],\"edges\":[{\"from\":\"start\",\"to\":\"wait\"}]}}";

    private Answer startRun(AuditStory story, String idempotencyKey) {
        return api.send(api.request(story.workflows() + story.ids()[6] + "/runs", story.owner().token())
                .header("Idempotency-Key", idempotencyKey).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
    }

    @Test
    void eachWorkspaceActionWritesItsAuditEventsAndNothingElse() {
        User owner = newVerifiedUser("owner");
        String workspace = createWorkspace(owner.token(), "Audited");
        User colleague = newVerifiedUser("colleague");
        String workflows = "workspaces/" + workspace + "/workflows/";
        // ids made by earlier actions: 0 invitation, 1 workflow, 2 scheduled workflow, 3 webhook workflow, 4 credential,
        // 5 shared credential, 6 a workflow that waits an hour, 7 its run
        AuditStory story = new AuditStory(workspace, owner, colleague, workflows, new String[8]);
        String credential = api.post("me/credentials", "{\"name\":\"K\",\"kind\":\"bearer\",\"origins\":"
                + "[\"https://api.example.com\"],\"secret\":{\"token\":\"t0ps3cret\"}}", owner.token()).json().getString("id");
        story.ids()[4] = credential;
        List<Audited> actions = List.of(
                new Audited("rename", List.of("workspace.renamed"), s -> api.send("PATCH", "workspaces/" + s.workspace(),
                        "application/json", "{\"name\":\"Audited 2\"}", s.owner().token())),
                new Audited("a refused rename (stale If-Match)", List.of(), s -> api.send(api.request("workspaces/" + s.workspace(),
                        s.owner().token()).header("If-Match", "\"0\"").header("Content-Type", "application/json")
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"Never\"}")).build())),
                new Audited("invite", List.of("invitation.sent"), s -> {
                    Answer a = invite(s.owner().token(), s.workspace(), "pending-" + UUID.randomUUID() + "@example.com", "VIEWER");
                    s.ids()[0] = a.json().getString("id");
                    return a;
                }),
                new Audited("resend", List.of("invitation.resent"), s -> api.post("workspaces/" + s.workspace()
                        + "/invitations/" + s.ids()[0] + "/resend", null, s.owner().token())),
                new Audited("revoke", List.of("invitation.revoked"), s -> api.send("DELETE", "workspaces/" + s.workspace()
                        + "/invitations/" + s.ids()[0], null, null, s.owner().token())),
                new Audited("invite the colleague", List.of("invitation.sent"),
                        s -> invite(s.owner().token(), s.workspace(), s.colleague().email(), "MEMBER")),
                new Audited("accept", List.of("invitation.accepted", "member.added"), s -> api.post("invitations/accept",
                        tokenJson(Mailbox.token(s.colleague().email(), "You are invited to Audited 2", 1)), s.colleague().token())),
                new Audited("change a role", List.of("member.role_changed"), s -> api.send("PATCH", "workspaces/"
                        + s.workspace() + "/members/" + s.colleague().id(), "application/json", "{\"role\":\"ADMIN\"}",
                        s.owner().token())),
                new Audited("offer ownership", List.of("ownership.offered"), s -> api.post("workspaces/" + s.workspace()
                        + "/ownership-offer", userJson(s.colleague().id()), s.owner().token())),
                new Audited("withdraw the offer", List.of("ownership.withdrawn"), s -> api.send("DELETE", "workspaces/"
                        + s.workspace() + "/ownership-offer", null, null, s.owner().token())),
                new Audited("reads", List.of(), s -> {
                    api.get("workspaces/" + s.workspace() + "/members", s.owner().token());
                    return api.get("workspaces/" + s.workspace() + "/audit", s.owner().token());
                }),
                new Audited("create a workflow", List.of("workflow.created"), s -> {
                    Answer a = api.post(s.workflows(), WORKFLOW, s.colleague().token());
                    s.ids()[1] = a.json().getString("id");
                    return a;
                }),
                new Audited("replace it", List.of("workflow.updated"), s -> {
                    String etag = api.get(s.workflows() + s.ids()[1], s.owner().token()).header("ETag").orElseThrow();
                    return api.send(api.request(s.workflows() + s.ids()[1], s.owner().token()).header("If-Match", etag)
                            .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers
                                    .ofString(WORKFLOW.replace("\"W\"", "\"W2\""))).build());
                }),
                new Audited("restore version 1", List.of("workflow.version_restored"), s -> api.post(s.workflows()
                        + s.ids()[1] + "/versions/1/restore", null, s.owner().token())),
                new Audited("set a schedule", List.of("workflow.created", "schedule.set"), s -> {
                    s.ids()[2] = api.post(s.workflows(), WORKFLOW.replace("trigger.manual", "trigger.schedule"),
                            s.owner().token()).json().getString("id");
                    return api.send("PUT", s.workflows() + s.ids()[2] + "/schedule", "application/json",
                            "{\"cron\":\"0 7 * * *\"}", s.owner().token());
                }),
                new Audited("pause it", List.of("schedule.paused"), s -> api.post(s.workflows() + s.ids()[2]
                        + "/schedule/pause", null, s.owner().token())),
                new Audited("resume it", List.of("schedule.resumed"), s -> api.post(s.workflows() + s.ids()[2]
                        + "/schedule/resume", null, s.owner().token())),
                new Audited("remove it", List.of("schedule.deleted"), s -> api.send("DELETE", s.workflows() + s.ids()[2]
                        + "/schedule", null, null, s.owner().token())),
                new Audited("create a webhook workflow", List.of("workflow.created"), s -> {
                    Answer a = api.post(s.workflows(), WORKFLOW.replace("trigger.manual", "trigger.webhook"), s.owner().token());
                    s.ids()[3] = a.json().getString("id");
                    return a;
                }),
                new Audited("rotate its secret", List.of("webhook.secret_rotated"), s -> api.post(s.workflows() + s.ids()[3]
                        + "/webhook/rotate", null, s.owner().token())),
                new Audited("create a workflow that waits an hour", List.of("workflow.created"), s -> {
                    Answer a = api.post(s.workflows(), SLOW_WORKFLOW, s.owner().token());
                    s.ids()[6] = a.json().getString("id");
                    return a;
                }),
                new Audited("start a run", List.of("run.started"), s -> {
                    Answer a = startRun(s, "audited-run");
                    s.ids()[7] = a.json().getString("id");
                    return a;
                }),
                new Audited("ask again with the same Idempotency-Key", List.of(), s -> startRun(s, "audited-run")),
                new Audited("cancel the run", List.of("run.canceled"), s -> api.post("workspaces/" + s.workspace()
                        + "/runs/" + s.ids()[7] + "/cancel", null, s.owner().token())),
                new Audited("cancel it again", List.of(), s -> api.post("workspaces/" + s.workspace() + "/runs/"
                        + s.ids()[7] + "/cancel", null, s.owner().token())),
                new Audited("run it again", List.of("run.rerun"), s -> api.post("workspaces/" + s.workspace() + "/runs/"
                        + s.ids()[7] + "/rerun", null, s.owner().token())),
                new Audited("delete a workflow", List.of("workflow.deleted"), s -> api.send("DELETE", s.workflows()
                        + s.ids()[1], null, null, s.owner().token())),
                new Audited("share a credential", List.of("credential.shared"), s -> {
                    Answer a = api.post("workspaces/" + s.workspace() + "/credentials", "{\"credentialId\":\"" + s.ids()[4]
                            + "\"}", s.owner().token());
                    s.ids()[5] = a.json().getString("id");
                    return a;
                }),
                new Audited("unshare it", List.of("credential.unshared"), s -> api.send("DELETE", "workspaces/"
                        + s.workspace() + "/credentials/" + s.ids()[5], null, null, s.owner().token())),
                new Audited("an operator sets the plan", List.of("plan.changed"), s -> api.send("PUT", "admin/workspaces/"
                        + s.workspace() + "/plan", "application/json", "{\"tier\":\"SOLO\"}", operatorToken())),
                new Audited("remove the colleague", List.of("member.removed"), s -> api.send("DELETE", "workspaces/"
                        + s.workspace() + "/members/" + s.colleague().id(), null, null, s.owner().token())));

        java.util.Set<String> seen = new java.util.HashSet<>();
        assertThat(api.get("workspaces/" + workspace + "/audit", owner.token()).json().getJsonArray("items"))
                .singleElement().satisfies(e -> {
                    assertThat(e.asJsonObject().getString("event")).isEqualTo("workspace.created");
                    seen.add(e.asJsonObject().getString("id"));
                });
        List<String> failures = new ArrayList<>();
        for (Audited action : actions) {
            Answer answer = action.call().apply(story);
            List<String> written = new ArrayList<>();
            for (JsonObject event : api.get("workspaces/" + workspace + "/audit?limit=200", owner.token()).json()
                    .getJsonArray("items").getValuesAs(JsonObject.class)) {
                if (seen.add(event.getString("id"))) {
                    written.add(event.getString("event"));
                }
            }
            if (!new java.util.TreeSet<>(written).equals(new java.util.TreeSet<>(action.events())) || written.size() != action.events().size()) {
                failures.add(action.action() + " (" + answer.status() + ") wrote " + written + ", not " + action.events());
            }
        }
        assertThat(failures).isEmpty();

        // who, from where, what changed; never a secret
        List<JsonObject> items = api.get("workspaces/" + workspace + "/audit?limit=200", owner.token()).json()
                .getJsonArray("items").getValuesAs(JsonObject.class);
        JsonObject renamed = items.stream().filter(e -> e.getString("event").equals("workspace.renamed")).findFirst().orElseThrow();
        assertThat(renamed.getString("actorType")).isEqualTo("user");
        assertThat(renamed.getString("actorId")).isEqualTo(owner.id());
        assertThat(renamed.getString("actorEmail")).isEqualTo(owner.email());
        assertThat(renamed.getString("objectType")).isEqualTo("workspace");
        assertThat(renamed.getString("clientAddress")).isNotBlank();
        assertThat(renamed.getString("requestId")).isNotBlank();
        assertThat(renamed.getJsonObject("before").getString("name")).isEqualTo("Audited");
        assertThat(renamed.getJsonObject("after").getString("name")).isEqualTo("Audited 2");
        assertThat(items.stream().filter(e -> e.getString("event").equals("plan.changed")).findFirst().orElseThrow()
                .getString("actorType")).isEqualTo("operator");
        assertThat(items.toString()).doesNotContain("t0ps3cret");
        assertThat(api.get("me/audit?event=credential.created", owner.token()).json().getJsonArray("items"))
                .as("a personal credential is an event of its owner's account").singleElement()
                .satisfies(e -> assertThat(e.asJsonObject().getString("objectId")).isEqualTo(credential));

        // filters, pages, and the NDJSON export (one object per line, the same objects)
        assertThat(api.get("workspaces/" + workspace + "/audit?event=member.removed", owner.token()).json()
                .getJsonArray("items")).singleElement();
        assertThat(api.get("workspaces/" + workspace + "/audit?actor=" + colleague.id(), owner.token()).json()
                .getJsonArray("items")).extracting(e -> e.asJsonObject().getString("event"))
                .containsExactlyInAnyOrder("invitation.accepted", "member.added", "workflow.created");
        assertThat(api.get("workspaces/" + workspace + "/audit?until=" + renamed.getString("time"), owner.token()).json()
                .getJsonArray("items")).extracting(e -> e.asJsonObject().getString("event")).containsExactly("workspace.created");
        assertThat(api.get("workspaces/" + workspace + "/audit?event=nonsense", owner.token()).status()).isEqualTo(400);
        assertThat(api.get("workspaces/" + workspace + "/audit?since=yesterday", owner.token()).status()).isEqualTo(400);
        Answer firstPage = api.get("workspaces/" + workspace + "/audit?limit=2", owner.token());
        assertThat(firstPage.json().getJsonArray("items")).hasSize(2);
        Answer secondPage = api.get("workspaces/" + workspace + "/audit?limit=2&cursor=" + firstPage.json().getString("nextCursor"),
                owner.token());
        assertThat(secondPage.json().getJsonArray("items")).hasSize(2).doesNotContainAnyElementsOf(firstPage.json().getJsonArray("items"));

        Answer export = api.get("workspaces/" + workspace + "/audit?format=ndjson", owner.token());
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/x-ndjson");
        List<JsonObject> lines = export.body().lines().map(line -> Json.createReader(new java.io.StringReader(line)).readObject()).toList();
        assertThat(lines).isEqualTo(items);
        Answer byAccept = api.send(api.request("workspaces/" + workspace + "/audit?event=workflow.created", owner.token())
                .header("Accept", "application/x-ndjson").GET().build());
        assertThat(byAccept.body().lines()).hasSize(4).allSatisfy(line -> assertThat(line).contains("\"workflow.created\""));

        // the workspace's deletion is recorded too; operators still read it, its former owner no longer can
        workspace = createWorkspace(owner.token(), "Short-lived");
        assertThat(api.send("DELETE", "workspaces/" + workspace, null, null, owner.token()).status()).isEqualTo(204);
        assertThat(api.get("admin/workspaces/" + workspace + "/audit", operatorToken()).json().getJsonArray("items"))
                .extracting(e -> e.asJsonObject().getString("event")).containsExactly("workspace.deleted", "workspace.created");
        assertThat(api.get("workspaces/" + workspace + "/audit", owner.token()).status()).isEqualTo(403);
    }

    // --- helpers ---

    record User(String id, String email, String token, String label) {
    }

    private Fixture fixture() {
        User owner = newVerifiedUser("owner");
        String workspace = createWorkspace(owner.token(), "Tenancy " + UUID.randomUUID());
        User admin = join(owner, workspace, "ADMIN");
        User member = join(owner, workspace, "MEMBER");
        User viewer = join(owner, workspace, "VIEWER");
        User target = join(owner, workspace, "MEMBER");
        User outsider = newVerifiedUser("outsider");
        String outsiderWorkspace = createWorkspace(outsider.token(), "Elsewhere");
        String invitationId = invite(owner.token(), workspace, "pending-" + UUID.randomUUID() + "@example.com", "VIEWER")
                .json().getString("id");
        assertThat(api.post("workspaces/" + workspace + "/ownership-offer", userJson(target.id()), owner.token()).status())
                .isEqualTo(201);
        String workflows = "workspaces/" + workspace + "/workflows";
        String workflowId = api.post(workflows, WORKFLOW, owner.token()).json().getString("id");
        String runId = api.post(workflows + "/" + workflowId + "/runs", "{}", owner.token()).json().getString("id");
        awaitEnd("workspaces/" + workspace + "/runs/" + runId, owner.token());
        String hookWorkflowId = api.post(workflows, WORKFLOW.replace("trigger.manual", "trigger.webhook"), owner.token())
                .json().getString("id");
        String scheduledWorkflowId = api.post(workflows, WORKFLOW.replace("trigger.manual", "trigger.schedule"), owner.token())
                .json().getString("id");
        assertThat(api.send("PUT", workflows + "/" + scheduledWorkflowId + "/schedule", "application/json",
                "{\"cron\":\"0 7 * * *\"}", owner.token()).status()).isEqualTo(200);
        return new Fixture(workspace, owner, admin, member, viewer, target, outsider, invitationId, workflowId, runId,
                hookWorkflowId, scheduledWorkflowId, outsiderWorkspace);
    }

    /**
     * Waits for the fixture's run to end: the engine runs here, and a run it finishes between the two snapshots of a
     * tenancy test would look like a change made by the other workspace's calls.
     */
    private void awaitEnd(String runPath, String token) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!List.of("SUCCEEDED", "FAILED", "CANCELED", "DEAD_LETTERED")
                .contains(api.get(runPath, token).json().getString("status"))) {
            assertThat(Instant.now()).as("the fixture's run is still running").isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Everything stored about a workspace, as text, to compare before and after. */
    private static String snapshot(String workspaceId) throws SQLException {
        StringBuilder rows = new StringBuilder();
        for (String sql : List.of(
                "SELECT row_to_json(t)::text FROM workspaces t WHERE id = ?::uuid",
                "SELECT row_to_json(t)::text FROM workspace_members t WHERE workspace_id = ?::uuid ORDER BY user_id",
                "SELECT row_to_json(t)::text FROM workspace_invitations t WHERE workspace_id = ?::uuid ORDER BY id",
                "SELECT row_to_json(t)::text FROM workspace_ownership_offers t WHERE workspace_id = ?::uuid",
                "SELECT count(*)::text FROM support_issues WHERE workspace_id = ?::uuid",
                "SELECT row_to_json(t)::text FROM workflows t WHERE workspace_id = ?::uuid ORDER BY id",
                "SELECT count(*)::text FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE w.workspace_id = ?::uuid",
                "SELECT row_to_json(t)::text FROM workflow_runs t WHERE workspace_id = ?::uuid ORDER BY id",
                "SELECT row_to_json(t)::text FROM workflow_schedules t WHERE workspace_id = ?::uuid ORDER BY workflow_id",
                "SELECT row_to_json(t)::text FROM workflow_webhooks t WHERE workspace_id = ?::uuid ORDER BY workflow_id",
                "SELECT row_to_json(t)::text FROM workspace_run_usage t WHERE workspace_id = ?::uuid",
                "SELECT row_to_json(t)::text FROM workspace_connections t WHERE workspace_id = ?::uuid ORDER BY id",
                "SELECT row_to_json(t)::text FROM workspace_credentials t WHERE workspace_id = ?::uuid ORDER BY id",
                // a refused call records nothing either
                "SELECT count(*)::text FROM audit_events WHERE workspace_id = ?::uuid")) {
            for (String row : Sql.column(sql, workspaceId)) {
                rows.append(row).append('\n');
            }
        }
        return rows.toString();
    }

    private User newVerifiedUser() {
        return newVerifiedUser("user");
    }

    private User newVerifiedUser(String label) {
        String email = label + "-" + UUID.randomUUID() + "@example.com";
        String token = api.signupAndLogin(email, PASSWORD);
        verify(email, token);
        return new User(api.get("me", token).json().getString("id"), email, token, label);
    }

    /** Verification happens in a session of the account that signed up. */
    private void verify(String email, String session) {
        String verification = Mailbox.token(email, "Confirm your email", 1);
        assertThat(api.post("auth/verify-email", tokenJson(verification), session).status()).isEqualTo(204);
    }

    private User join(User owner, String workspace, String role) {
        return join(owner, workspace, role, newVerifiedUser(role.toLowerCase()));
    }

    private User join(User owner, String workspace, String role, User user) {
        assertThat(invite(owner.token(), workspace, user.email(), role).status()).isEqualTo(201);
        String name = api.get("workspaces/" + workspace, owner.token()).json().getString("name");
        String invitation = Mailbox.token(user.email(), "You are invited to " + name, 1);
        assertThat(api.post("invitations/accept", tokenJson(invitation), user.token()).status()).isEqualTo(200);
        return user;
    }

    private String createWorkspace(String token, String name) {
        Answer created = api.post("workspaces", Json.createObjectBuilder().add("name", name).build().toString(), token);
        assertThat(created.status()).isEqualTo(201);
        return created.json().getString("id");
    }

    private Answer invite(String token, String workspace, String email, String role) {
        return api.post("workspaces/" + workspace + "/invitations",
                "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}", token);
    }

    private String operatorToken() {
        Answer signup = api.post("auth/signup", "{\"email\":\"" + OPERATOR_EMAIL + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"Operator\"}");
        String session = api.login(OPERATOR_EMAIL, PASSWORD);
        if (signup.status() == 201) {
            verify(OPERATOR_EMAIL, session);
        }
        return session;
    }

    private String personalWorkspace(String token) {
        return api.get("workspaces", token).json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .filter(w -> w.getBoolean("personal")).map(w -> w.getString("id")).findFirst().orElseThrow();
    }

    private static String userJson(String userId) {
        return "{\"userId\":\"" + userId + "\"}";
    }

    private static String tokenJson(String token) {
        return "{\"token\":\"" + token + "\"}";
    }
}
