package dev.flowline.connections;

import dev.flowline.testing.RecordingEvent;
import dev.flowline.connections.ConnectionErrors.AlreadySharedException;
import dev.flowline.connections.ConnectionErrors.ConnectionNotFoundException;
import dev.flowline.connections.ConnectionErrors.NotTheSharerException;
import dev.flowline.connections.ConnectionErrors.NotYourConnectionException;
import dev.flowline.connections.ConnectionErrors.ReauthorizationRequiredException;
import dev.flowline.connections.ConnectionErrors.SharerNotMemberException;
import dev.flowline.connections.ConnectionErrors.SharingNotInPlanException;
import dev.flowline.platform.crypto.EncryptionKeys;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.PlanLimits;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository;
import dev.flowline.workspaces.WorkspaceErrors.NotAMemberException;
import dev.flowline.workspaces.WorkspaceErrors.RoleRequiredException;
import dev.flowline.workspaces.WorkspaceRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gates in front of tokens, with membership answered by {@link StaticWorkspaceMembershipRepository}: nothing
 * is decrypted for a caller or a run that may not use the token.
 */
class WorkspaceOAuthServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final StaticWorkspaceMembershipRepository workspaces = new StaticWorkspaceMembershipRepository();
    private final InMemoryTokens tokens = new InMemoryTokens();
    private final AtomicInteger opened = new AtomicInteger();
    private final TokenCipher cipher = new TokenCipher() {
        @Override
        public String openAccess(StoredToken token) {
            opened.incrementAndGet();
            return super.openAccess(token);
        }
    };
    private final WorkspaceOAuthService oauth = new WorkspaceOAuthService();
    private final WorkspaceConnectionService sharing = new WorkspaceConnectionService();

    private final UUID member = UUID.randomUUID();
    private final UUID workspace = UUID.randomUUID();
    private UUID tokenId;

    @BeforeEach
    void wire() {
        cipher.box = TokenCipherTest.cipher(EncryptionKeys.generateEntry("k1")).box;
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        oauth.tokens = tokens;
        oauth.shared = tokens;
        oauth.workspaces = workspaces;
        oauth.cipher = cipher;
        oauth.clock = clock;
        oauth.refreshMarginSeconds = 300;
        oauth.providers = new OAuthProviders() {
            @Override
            public Optional<OAuthProvider> find(String name) {
                return Optional.of(new OAuthProvider(name, URI.create("https://p.test/a"), URI.create("https://p.test/t"),
                        "id", "secret", "", "", Optional.empty(), Optional.empty(), false,
                        CredentialOrigins.parseList("https://www.googleapis.com")));
            }
        };
        sharing.connections = tokens;
        sharing.tokens = tokens;
        sharing.workspaces = workspaces;
        sharing.access = workspaces.access();
        sharing.clock = clock;
        sharing.activity = new RecordingEvent<>();
        sharing.plans = new PlanCatalog() {
            @Override
            public PlanLimits limits(PlanTier tier) {
                return new PlanLimits(tier, 10, 100, false, tier == PlanTier.WORKSPACE, 30);
            }
        };
        workspaces.reset();
        workspaces.memberAs(WorkspaceRole.MEMBER);
        tokenId = personalToken(member, null);
    }

    private UUID personalToken(UUID owner, UUID scopedToWorkspace) {
        UUID id = UUID.randomUUID();
        tokens.put(new StoredToken(id, owner, "google", scopedToWorkspace,
                cipher.sealAccess(id, owner, "google", "access-" + id), null, NOW.plusSeconds(3600), false),
                "ann@example.com");
        return id;
    }

    @Test
    void theOwnerLoadsTheirPersonalToken() {
        assertThat(oauth.loadToken(member, tokenId)).isEqualTo("access-" + tokenId);
    }

    @Test
    void anotherUsersTokenAWorkspaceScopedTokenAndAnUnknownIdAre403WithoutDecrypting() {
        UUID scoped = personalToken(member, workspace);
        for (Runnable call : new Runnable[]{
                () -> oauth.loadToken(UUID.randomUUID(), tokenId),
                () -> oauth.loadToken(member, scoped),
                () -> oauth.loadToken(member, UUID.randomUUID())}) {
            assertThatThrownBy(call::run).isInstanceOf(NotYourConnectionException.class)
                    .satisfies(e -> assertThat(((FlowlineException) e).status()).isEqualTo(403));
        }
        assertThat(tokens.listPersonal(member)).extracting(Connection::id).containsExactly(tokenId);
        assertThat(opened).hasValue(0);
    }

    @Test
    void aRunUsesASharedConnectionOnlyWhileItsSharerIsAMember() {
        SharedConnection shared = sharing.share(workspace, member, tokenId, null);
        assertThat(shared.name()).isEqualTo("google (ann@example.com)");
        RunToken token = oauth.accessTokenForRun(workspace, shared.id());
        assertThat(token.accessToken()).isEqualTo("access-" + tokenId);
        assertThat(token.apiOrigins().values()).containsExactly("https://www.googleapis.com");
        assertThat(token.originsSetting()).isEqualTo("flowline.oauth.google.api-origins");
        assertThat(token.toString()).doesNotContain("access-");

        workspaces.memberAs(null);
        assertThatThrownBy(() -> oauth.accessTokenForRun(workspace, shared.id()))
                .isInstanceOf(SharerNotMemberException.class)
                .satisfies(e -> assertThat(((FlowlineException) e).status()).isEqualTo(403));
        assertThat(opened).hasValue(1);
        assertThatThrownBy(() -> oauth.accessTokenForRun(UUID.randomUUID(), shared.id()))
                .as("another workspace's run").isInstanceOf(ConnectionNotFoundException.class);
    }

    @Test
    void aConnectionNeedingReauthorizationIsNotUsed() {
        StoredToken token = tokens.stored.get(tokenId);
        tokens.stored.put(tokenId, new StoredToken(token.id(), token.ownerUserId(), token.provider(), null,
                token.accessTokenEnc(), null, token.expiresAt(), true));
        assertThatThrownBy(() -> oauth.loadToken(member, tokenId)).isInstanceOf(ReauthorizationRequiredException.class);
        assertThat(opened).hasValue(0);
    }

    @Test
    void sharingNeedsMembershipTheMemberRoleThePlanAndTheCallersOwnToken() {
        workspaces.memberAs(null);
        assertThatThrownBy(() -> sharing.share(workspace, member, tokenId, null)).isInstanceOf(NotAMemberException.class);
        workspaces.memberAs(WorkspaceRole.VIEWER);
        assertThatThrownBy(() -> sharing.share(workspace, member, tokenId, null)).isInstanceOf(RoleRequiredException.class);
        workspaces.memberAs(WorkspaceRole.MEMBER);
        workspaces.plan(PlanTier.SOLO);
        assertThatThrownBy(() -> sharing.share(workspace, member, tokenId, null))
                .isInstanceOf(SharingNotInPlanException.class);
        workspaces.plan(PlanTier.WORKSPACE);
        assertThatThrownBy(() -> sharing.share(workspace, UUID.randomUUID(), tokenId, null))
                .isInstanceOf(NotYourConnectionException.class);
        assertThat(tokens.shares).isEmpty();

        sharing.share(workspace, member, tokenId, "Calendar");
        assertThatThrownBy(() -> sharing.share(workspace, member, tokenId, null))
                .isInstanceOf(AlreadySharedException.class);
        assertThat(tokens.findPersonal(tokenId, member)).map(Connection::shared).contains(true);
    }

    @Test
    void onlyTheSharerOrAnAdminUnsharesAndTheSharedFlagFollows() {
        SharedConnection shared = sharing.share(workspace, member, tokenId, null);
        assertThatThrownBy(() -> sharing.unshare(workspace, UUID.randomUUID(), shared.id()))
                .isInstanceOf(NotTheSharerException.class);
        assertThat(sharing.list(workspace, member, Optional.of(member))).hasSize(1);
        workspaces.memberAs(WorkspaceRole.ADMIN);
        sharing.unshare(workspace, UUID.randomUUID(), shared.id());
        assertThat(tokens.shares).isEmpty();
        assertThat(tokens.findPersonal(tokenId, member)).map(Connection::shared).contains(false);
    }
}
