package dev.flowline.connections;

import dev.flowline.testing.RecordingEvent;
import dev.flowline.connections.ConnectionErrors.CredentialAlreadySharedException;
import dev.flowline.connections.ConnectionErrors.CredentialNotFoundException;
import dev.flowline.connections.ConnectionErrors.CredentialSharerNotMemberException;
import dev.flowline.connections.ConnectionErrors.NotTheCredentialSharerException;
import dev.flowline.connections.ConnectionErrors.NotYourCredentialException;
import dev.flowline.connections.ConnectionErrors.SharingNotInPlanException;
import dev.flowline.connections.ConnectionErrors.StaleCredentialException;
import dev.flowline.connections.ConnectionErrors.TooManyCredentialsException;
import dev.flowline.platform.crypto.EncryptionKeys;
import dev.flowline.platform.crypto.SecretBox;
import dev.flowline.platform.errors.FlowlineException;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.workspaces.PlanCatalog;
import dev.flowline.workspaces.PlanLimits;
import dev.flowline.workspaces.PlanTier;
import dev.flowline.workspaces.StaticWorkspaceMembershipRepository;
import dev.flowline.workspaces.Workspace;
import dev.flowline.workspaces.WorkspaceErrors.NotAMemberException;
import dev.flowline.workspaces.WorkspaceErrors.RoleRequiredException;
import dev.flowline.workspaces.WorkspaceMemberRemoved;
import dev.flowline.workspaces.WorkspaceRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules in front of credentials, on {@link InMemoryCredentials} (which counts every ciphertext read to be
 * decrypted) and {@link StaticWorkspaceMembershipRepository}: owners only, write-only secrets, sharing like
 * connections, and no decryption for a run that may not use the credential.
 */
class WorkspaceCredentialServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String KEY = EncryptionKeys.generateEntry("k1");

    /** Membership as the test sets it; the workspace personal when {@link #personal} is set. */
    private final StaticWorkspaceMembershipRepository workspaces = new StaticWorkspaceMembershipRepository() {
        @Override
        public Optional<Workspace> findById(UUID workspaceId) {
            return super.findById(workspaceId).map(w -> new Workspace(w.id(), w.name(), personal, w.planTier(),
                    w.createdAt(), w.updatedAt(), w.version()));
        }
    };
    private boolean personal;
    private final InMemoryCredentials store = new InMemoryCredentials();
    private final CredentialCipher cipher = new CredentialCipher();
    private final CredentialService mine = new CredentialService();
    private final WorkspaceCredentialService sharing = new WorkspaceCredentialService();

    private final UUID member = UUID.randomUUID();
    private final UUID workspace = UUID.randomUUID();

    @BeforeEach
    void wire() {
        cipher.box = new SecretBox(EncryptionKeys.parse(KEY));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        mine.credentials = store;
        mine.cipher = cipher;
        mine.clock = clock;
        mine.activity = new RecordingEvent<>();
        sharing.shares = store;
        sharing.credentials = store;
        sharing.workspaces = workspaces;
        sharing.access = workspaces.access();
        sharing.cipher = cipher;
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
        personal = false;
    }

    private Credential bearer(UUID owner, String token) {
        return mine.create(owner, "API", "bearer", List.of("https://api.example.com"),
                new CredentialFields(null, null, null, token, null, null, null));
    }

    @Test
    void aCredentialIsStoredEncryptedBoundToItsRowAndShownWithoutItsSecret() {
        Credential created = mine.create(member, " Stripe ", "api-key", List.of("https://api.stripe.com"),
                new CredentialFields("header", "X-Api-Key", "sk_live_secret", null, null, null, null));
        assertThat(created.name()).isEqualTo("Stripe");
        assertThat(created.kind()).isEqualTo(CredentialKind.API_KEY);
        assertThat(created.shape()).isEqualTo(new CredentialShape("header", "X-Api-Key", null));
        assertThat(created.toString()).doesNotContain("sk_live_secret");
        String sealed = store.ciphertext(created.id());
        assertThat(sealed).startsWith("v1:k1:").doesNotContain("sk_live");
        assertThat(store.secretReads()).isEqualTo(0);

        // moved into another user's row, it no longer decrypts
        StoredCredential moved = new StoredCredential(created.id(), UUID.randomUUID(), CredentialKind.API_KEY,
                created.origins(), sealed);
        assertThatThrownBy(() -> cipher.open(moved)).isInstanceOf(SecretBox.DecryptionFailedException.class);
        StoredCredential otherKind = new StoredCredential(created.id(), member, CredentialKind.BEARER,
                created.origins(), sealed);
        assertThatThrownBy(() -> cipher.open(otherKind)).isInstanceOf(SecretBox.DecryptionFailedException.class);
    }

    @Test
    void onlyTheOwnerSeesChangesAndDeletesACredential() {
        Credential created = bearer(member, "t-1");
        UUID stranger = UUID.randomUUID();
        assertThatThrownBy(() -> mine.get(stranger, created.id())).isInstanceOf(CredentialNotFoundException.class);
        assertThatThrownBy(() -> mine.update(stranger, created.id(), "x", null, null, null))
                .isInstanceOf(CredentialNotFoundException.class);
        assertThatThrownBy(() -> mine.delete(stranger, created.id())).isInstanceOf(CredentialNotFoundException.class);
        assertThat(mine.listMine(stranger)).isEmpty();
        assertThat(mine.listMine(member)).extracting(Credential::id).containsExactly(created.id());

        assertThatThrownBy(() -> mine.update(member, created.id(), null, null, null, null))
                .isInstanceOf(InvalidInputException.class);
        Credential renamed = mine.update(member, created.id(), "Renamed", List.of("https://other.example.com"), null, 0L);
        assertThat(renamed.name()).isEqualTo("Renamed");
        assertThat(renamed.origins().values()).containsExactly("https://other.example.com");
        assertThat(renamed.version()).isEqualTo(1);
        assertThatThrownBy(() -> mine.update(member, created.id(), "Again", null, null, 0L))
                .isInstanceOf(StaleCredentialException.class)
                .satisfies(e -> assertThat(((FlowlineException) e).status()).isEqualTo(412));

        String before = store.ciphertext(created.id());
        mine.update(member, created.id(), null, null, new CredentialFields(null, null, null, "t-2", null, null, null), null);
        assertThat(store.ciphertext(created.id())).isNotEqualTo(before);
        assertThatThrownBy(() -> mine.update(member, created.id(), null, null,
                new CredentialFields("header", "X-K", "v", null, null, null, null), null))
                .as("the kind cannot change").isInstanceOf(InvalidInputException.class);

        mine.delete(member, created.id());
        assertThat(mine.listMine(member)).isEmpty();
        assertThatThrownBy(() -> mine.create(member, "x", "oauth", List.of("https://a.example.com"),
                new CredentialFields(null, null, null, "t", null, null, null))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aUserKeepsAtMostTheLimit() {
        for (int i = 0; i < CredentialService.MAX_PER_USER; i++) {
            bearer(member, "t-" + i);
        }
        assertThatThrownBy(() -> bearer(member, "one-more")).isInstanceOf(TooManyCredentialsException.class)
                .satisfies(e -> assertThat(((FlowlineException) e).status()).isEqualTo(409));
        assertThat(mine.listMine(member)).hasSize(CredentialService.MAX_PER_USER);
    }

    @Test
    void aRunGetsTheHeadersAndQueryOfItsKindAndTheOrigins() {
        Credential key = mine.create(member, "Maps", "api-key", List.of("https://maps.example.com"),
                new CredentialFields("query", "key", "k-123", null, null, null, null));
        Credential basic = mine.create(member, "Legacy", "basic", List.of("https://legacy.example.com"),
                new CredentialFields(null, null, null, null, "ann", "pw", null));
        SharedCredential sharedKey = sharing.share(workspace, member, key.id(), null);
        SharedCredential sharedBasic = sharing.share(workspace, member, basic.id(), "Legacy API");
        assertThat(sharedKey.name()).isEqualTo("Maps");
        assertThat(sharedBasic.name()).isEqualTo("Legacy API");

        RunCredential query = sharing.credentialForRun(workspace, sharedKey.id());
        assertThat(query.credentialId()).isEqualTo(sharedKey.id());
        assertThat(query.queryParameters()).containsExactly(Map.entry("key", "k-123"));
        assertThat(query.headers()).isEmpty();
        assertThat(query.origins().values()).containsExactly("https://maps.example.com");
        assertThat(sharing.credentialForRun(workspace, sharedBasic.id()).headers())
                .containsExactly(Map.entry("Authorization", "Basic YW5uOnB3"));
        assertThat(store.secretReads()).isEqualTo(2);
    }

    @Test
    void aRemovedSharerIsRefusedBeforeAnythingIsReadForDecryption() {
        Credential credential = bearer(member, "t-1");
        SharedCredential shared = sharing.share(workspace, member, credential.id(), null);
        assertThat(sharing.credentialForRun(workspace, shared.id()).headers())
                .containsExactly(Map.entry("Authorization", "Bearer t-1"));
        assertThat(store.secretReads()).isEqualTo(1);

        workspaces.memberAs(null);
        assertThatThrownBy(() -> sharing.credentialForRun(workspace, shared.id()))
                .isInstanceOf(CredentialSharerNotMemberException.class)
                .satisfies(e -> assertThat(((FlowlineException) e).status()).isEqualTo(403));
        assertThat(store.secretReads()).as("nothing read to decrypt").isEqualTo(1);

        workspaces.memberAs(WorkspaceRole.MEMBER);
        assertThatThrownBy(() -> sharing.credentialForRun(UUID.randomUUID(), shared.id()))
                .as("another workspace's run").isInstanceOf(CredentialNotFoundException.class);
        assertThatThrownBy(() -> sharing.credentialForRun(workspace, credential.id()))
                .as("the personal id in a team workspace").isInstanceOf(CredentialNotFoundException.class);
        assertThat(store.secretReads()).isEqualTo(1);
    }

    @Test
    void inAPersonalWorkspaceItsOwnersCredentialsAreUsedByTheirOwnIdAndNobodyElses() {
        personal = true;
        workspaces.owner(member);
        Credential own = bearer(member, "t-own");
        Credential others = bearer(UUID.randomUUID(), "t-other");
        assertThat(sharing.credentialForRun(workspace, own.id()).headers())
                .containsExactly(Map.entry("Authorization", "Bearer t-own"));
        assertThatThrownBy(() -> sharing.credentialForRun(workspace, others.id()))
                .isInstanceOf(CredentialNotFoundException.class);
        assertThat(store.secretReads()).isEqualTo(1);
        workspaces.memberAs(null);
        assertThatThrownBy(() -> sharing.credentialForRun(workspace, own.id()))
                .isInstanceOf(CredentialSharerNotMemberException.class);
        assertThat(store.secretReads()).isEqualTo(1);
    }

    @Test
    void sharingNeedsMembershipTheMemberRoleThePlanAndTheCallersOwnCredential() {
        UUID credentialId = bearer(member, "t").id();
        workspaces.memberAs(null);
        assertThatThrownBy(() -> sharing.share(workspace, member, credentialId, null)).isInstanceOf(NotAMemberException.class);
        workspaces.memberAs(WorkspaceRole.VIEWER);
        assertThatThrownBy(() -> sharing.share(workspace, member, credentialId, null)).isInstanceOf(RoleRequiredException.class);
        workspaces.memberAs(WorkspaceRole.MEMBER);
        workspaces.plan(PlanTier.SOLO);
        assertThatThrownBy(() -> sharing.share(workspace, member, credentialId, null))
                .isInstanceOf(SharingNotInPlanException.class);
        workspaces.plan(PlanTier.WORKSPACE);
        assertThatThrownBy(() -> sharing.share(workspace, UUID.randomUUID(), credentialId, null))
                .isInstanceOf(NotYourCredentialException.class);
        assertThat(store.shares).isEmpty();

        sharing.share(workspace, member, credentialId, null);
        assertThatThrownBy(() -> sharing.share(workspace, member, credentialId, null))
                .isInstanceOf(CredentialAlreadySharedException.class);
        assertThat(mine.get(member, credentialId).shared()).isTrue();
        workspaces.memberAs(WorkspaceRole.VIEWER);
        assertThat(sharing.list(workspace, UUID.randomUUID(), Optional.empty())).hasSize(1);
        assertThat(sharing.list(workspace, UUID.randomUUID(), Optional.of(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void onlyTheSharerOrAnAdminUnsharesAndDeletingTheCredentialOrLeavingTakesTheShares() {
        UUID credentialId = bearer(member, "t").id();
        SharedCredential shared = sharing.share(workspace, member, credentialId, null);
        assertThatThrownBy(() -> sharing.unshare(workspace, UUID.randomUUID(), shared.id()))
                .isInstanceOf(NotTheCredentialSharerException.class);
        workspaces.memberAs(WorkspaceRole.ADMIN);
        sharing.unshare(workspace, UUID.randomUUID(), shared.id());
        assertThat(store.shares).isEmpty();
        assertThat(mine.get(member, credentialId).shared()).isFalse();

        sharing.share(workspace, member, credentialId, null);
        sharing.share(UUID.randomUUID(), member, credentialId, null);
        MemberConnectionsCleanup cleanup = new MemberConnectionsCleanup();
        cleanup.connections = new InMemoryTokens();
        cleanup.tokens = (InMemoryTokens) cleanup.connections;
        cleanup.credentials = store;
        cleanup.onMemberRemoved(new WorkspaceMemberRemoved(workspace, member));
        assertThat(store.shares.values()).extracting(SharedCredential::workspaceId).doesNotContain(workspace).hasSize(1);

        mine.delete(member, credentialId);
        assertThat(store.shares).isEmpty();
    }
}
