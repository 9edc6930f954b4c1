package dev.flowline.connections;

import dev.flowline.platform.crypto.EncryptionKeys;
import dev.flowline.platform.crypto.SecretBox;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionMaintenanceTest {

    private static final String OLD_KEY = EncryptionKeys.generateEntry("old");
    private static final String NEW_KEY = EncryptionKeys.generateEntry("new");

    @Test
    void theJobRefreshesTokensExpiringBeforeItsHorizonAndMarksRefusedOnes() {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        InMemoryTokens tokens = new InMemoryTokens();
        TokenCipher cipher = TokenCipherTest.cipher(NEW_KEY);
        UUID owner = UUID.randomUUID();
        UUID soon = token(tokens, cipher, owner, "refresh-ok", now.plusSeconds(60));
        UUID refused = token(tokens, cipher, owner, "refresh-revoked", now.plusSeconds(60));
        UUID later = token(tokens, cipher, owner, "refresh-later", now.plusSeconds(7200));
        List<String> sent = new ArrayList<>();
        TokenRefresher refresher = new TokenRefresher();
        refresher.tokens = tokens;
        refresher.cipher = cipher;
        refresher.clock = clock;
        refresher.providers = new OAuthProviders() {
            @Override
            public Optional<OAuthProvider> find(String name) {
                return Optional.of(new OAuthProvider(name, URI.create("https://p.test/a"), URI.create("https://p.test/t"),
                        "id", "secret", "", "", Optional.empty(), Optional.empty(), false,
                        CredentialOrigins.none()));
            }
        };
        refresher.client = new OAuthClient() {
            @Override
            public TokenGrant refresh(OAuthProvider provider, String refreshToken, Instant at) {
                sent.add(refreshToken);
                if (refreshToken.equals("refresh-revoked")) {
                    throw new ConnectionErrors.GrantRejectedException("p refused the grant: invalid_grant.");
                }
                return new TokenGrant("new-access", Optional.empty(), Optional.of(at.plusSeconds(3600)), "");
            }
        };
        ConnectionMaintenance maintenance = new ConnectionMaintenance();
        maintenance.tokens = tokens;
        maintenance.refresher = refresher;
        maintenance.cipher = cipher;
        maintenance.clock = clock;

        assertThat(maintenance.refreshExpiring(360)).isEqualTo(1);
        assertThat(sent).containsExactlyInAnyOrder("refresh-ok", "refresh-revoked");
        assertThat(cipher.openAccess(tokens.stored.get(soon))).isEqualTo("new-access");
        assertThat(cipher.openRefresh(tokens.stored.get(soon))).as("kept when none is issued").isEqualTo("refresh-ok");
        assertThat(tokens.stored.get(soon).expiresAt()).isEqualTo(now.plusSeconds(3600));
        assertThat(tokens.stored.get(refused).needsReauthorization()).isTrue();
        assertThat(tokens.stored.get(later).expiresAt()).isEqualTo(now.plusSeconds(7200));

        sent.clear();
        assertThat(maintenance.refreshExpiring(360)).isZero();
        assertThat(sent).as("nothing due, and the refused one waits for its user").isEmpty();
    }

    private static UUID token(InMemoryTokens tokens, TokenCipher cipher, UUID owner, String refresh, Instant expiresAt) {
        UUID id = UUID.randomUUID();
        tokens.put(new StoredToken(id, owner, "p", null, cipher.sealAccess(id, owner, "p", "old-access"),
                cipher.sealRefresh(id, owner, "p", refresh), expiresAt, false), null);
        return id;
    }

    @Test
    void reencryptionMovesEveryValueToThePrimaryKeyAndLeavesTheTokensReadable() {
        InMemoryTokens tokens = new InMemoryTokens();
        TokenCipher before = TokenCipherTest.cipher(OLD_KEY);
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            UUID owner = UUID.randomUUID();
            tokens.put(new StoredToken(id, owner, "slack", null, before.sealAccess(id, owner, "slack", "access-" + i),
                    i == 0 ? null : before.sealRefresh(id, owner, "slack", "refresh-" + i), null, false), null);
        }
        ConnectionMaintenance maintenance = new ConnectionMaintenance();
        maintenance.tokens = tokens;
        maintenance.cipher = TokenCipherTest.cipher(NEW_KEY + "," + OLD_KEY);
        maintenance.credentials = new InMemoryCredentials();
        maintenance.credentialCipher = credentialCipher(NEW_KEY + "," + OLD_KEY);
        maintenance.clock = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);

        assertThat(maintenance.reencryptBatch()).isEqualTo(3);
        assertThat(maintenance.reencryptBatch()).isZero();
        TokenCipher onlyNew = TokenCipherTest.cipher(NEW_KEY);
        assertThat(tokens.stored.values()).allSatisfy(token -> {
            assertThat(token.accessTokenEnc()).startsWith("v1:new:");
            assertThat(onlyNew.isCurrent(token)).isTrue();
            assertThat(onlyNew.openAccess(token)).startsWith("access-");
        });
    }

    @Test
    void reencryptionMovesCredentialsToThePrimaryKeyTooAndSkipsOnesWhoseKeyIsGone() {
        InMemoryCredentials credentials = new InMemoryCredentials();
        CredentialCipher before = credentialCipher(OLD_KEY);
        CredentialCipher lost = credentialCipher(EncryptionKeys.generateEntry("lost"));
        List<UUID> readable = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readable.add(credential(credentials, before, "token-" + i));
        }
        UUID unreadable = credential(credentials, lost, "token-lost");
        ConnectionMaintenance maintenance = new ConnectionMaintenance();
        maintenance.tokens = new InMemoryTokens();
        maintenance.cipher = TokenCipherTest.cipher(NEW_KEY + "," + OLD_KEY);
        maintenance.credentials = credentials;
        maintenance.credentialCipher = credentialCipher(NEW_KEY + "," + OLD_KEY);

        assertThat(maintenance.reencryptBatch()).isEqualTo(3);
        assertThat(maintenance.reencryptBatch()).as("only the one nothing can read is left").isZero();
        CredentialCipher onlyNew = credentialCipher(NEW_KEY);
        for (UUID id : readable) {
            StoredCredential stored = credentials.findStored(id, credentials.rows.get(id).credential().ownerUserId())
                    .orElseThrow();
            assertThat(stored.secretEnc()).startsWith("v1:new:");
            assertThat(onlyNew.open(stored).requestHeaders().get("Authorization")).startsWith("Bearer token-");
        }
        assertThat(credentials.ciphertext(unreadable)).startsWith("v1:lost:");
    }

    private static CredentialCipher credentialCipher(String keys) {
        CredentialCipher cipher = new CredentialCipher();
        cipher.box = new SecretBox(EncryptionKeys.parse(keys));
        return cipher;
    }

    private static UUID credential(InMemoryCredentials credentials, CredentialCipher cipher, String token) {
        UUID id = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        CredentialSecret secret = CredentialSecret.of(CredentialKind.BEARER,
                new CredentialFields(null, null, null, token, null, null, null), "secret");
        credentials.insert(new NewCredential(id, owner, "c", CredentialKind.BEARER,
                CredentialOrigins.parseList("https://api.example.com"), secret.shape(),
                cipher.seal(id, owner, CredentialKind.BEARER, secret)), 100, Instant.EPOCH);
        return id;
    }
}
