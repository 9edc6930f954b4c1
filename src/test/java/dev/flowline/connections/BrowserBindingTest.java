package dev.flowline.connections;

import dev.flowline.platform.security.OpaqueTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrowserBindingTest {

    @Test
    void onlyTheNonceWhoseHashIsStoredMatches() {
        String nonce = BrowserBinding.newNonce();
        String stored = BrowserBinding.hash(nonce);
        assertThat(nonce).matches("[A-Za-z0-9_-]{43}"); // 256 random bits, base64url
        assertThat(stored).isNotEqualTo(nonce).hasSize(64);
        assertThat(BrowserBinding.matches(stored, nonce)).isTrue();
        assertThat(BrowserBinding.matches(stored, BrowserBinding.newNonce())).isFalse();
        assertThat(BrowserBinding.matches(stored, stored)).as("the hash itself is no nonce").isFalse();
        assertThat(BrowserBinding.matches(stored, null)).isFalse();
        assertThat(BrowserBinding.matches(stored, "")).isFalse();
        assertThat(BrowserBinding.matches(null, nonce)).as("a row from before the binding").isFalse();
    }

    @Test
    void eachStateHasItsOwnCookieSoParallelTabsKeepTheirs() {
        String first = OpaqueTokens.generate();
        String second = OpaqueTokens.generate();
        assertThat(BrowserBinding.cookieName(first)).matches("flowline_oauth_[0-9a-f]{16}")
                .isEqualTo(BrowserBinding.cookieName(first))
                .isNotEqualTo(BrowserBinding.cookieName(second))
                .doesNotContain(first);
    }
}
