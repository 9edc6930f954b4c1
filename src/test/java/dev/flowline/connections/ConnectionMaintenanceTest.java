package dev.flowline.connections;

import dev.flowline.platform.crypto.EncryptionKeys;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionMaintenanceTest {

    private static final String OLD_KEY = EncryptionKeys.generateEntry("old");
    private static final String NEW_KEY = EncryptionKeys.generateEntry("new");

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
}
