package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.InvalidStateException;
import dev.flowline.connections.ConnectionErrors.MissingCodeException;
import dev.flowline.connections.ConnectionErrors.NotFromThisBrowserException;
import dev.flowline.connections.ConnectionErrors.ProviderDeniedException;
import dev.flowline.platform.crypto.SecretBox;
import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.mail.PublicLinks;
import dev.flowline.platform.security.OpaqueTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The authorization-code flow with PKCE (RFC 6749 section 4.1, RFC 7636). {@link #begin} stores the hash of a random
 * state bound to the user and the provider, with the encrypted verifier, and answers the provider's authorize URL.
 * The provider sends the browser back to the callback, which needs no session (the session cookie is
 * {@code SameSite=Strict}, so a redirect from the provider does not carry it): the state says whose it is, and the
 * browser-binding cookie set by {@link #begin} proves that the browser finishing the flow is the one that started
 * it ({@link BrowserBinding}). {@link #complete} takes the state (gone after one use, valid or not), checks the
 * binding, exchanges the code and stores the tokens.
 *
 * <p>No transaction spans the calls to the provider: taking the state commits on its own, and the tokens are
 * stored in one short transaction ({@link TokenStore}) after the exchange.
 */
@ApplicationScoped
public class OAuthFlow {

    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_CODE_CHARS = 2048;
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @Inject
    OAuthProviders providers;

    @Inject
    OAuthClient client;

    @Inject
    OAuthAuthorizationRepository authorizations;

    @Inject
    TokenStore store;

    @Inject
    TokenCipher cipher;

    @Inject
    Clock clock;

    @Inject
    PublicLinks links;

    @Inject
    @ConfigProperty(name = "flowline.oauth.redirect-base-url")
    Optional<String> redirectBaseUrl;

    @Inject
    @ConfigProperty(name = "flowline.oauth.state-ttl-minutes", defaultValue = "10")
    int stateTtlMinutes;

    /**
     * Where to send the user's browser (the provider's authorize URL for a new, stored state), and the cookie that
     * browser must bring back to the callback.
     */
    public StartedAuthorization begin(UUID userId, String providerName) {
        OAuthProvider provider = providers.require(providerName);
        String state = OpaqueTokens.generate();
        String verifier = Pkce.newVerifier();
        String nonce = BrowserBinding.newNonce();
        String stateHash = OpaqueTokens.hash(state);
        Instant now = clock.instant();
        Duration lifetime = Duration.ofMinutes(stateTtlMinutes);
        authorizations.insert(stateHash, new PendingAuthorization(userId, provider.name(),
                cipher.sealVerifier(stateHash, verifier), now.plus(lifetime), BrowserBinding.hash(nonce)), now);
        StringBuilder url = new StringBuilder(provider.authorizeUrl().toString())
                .append(provider.authorizeUrl().getRawQuery() == null ? '?' : '&')
                .append("response_type=code")
                .append("&client_id=").append(encode(provider.clientId()))
                .append("&redirect_uri=").append(encode(redirectUri(provider.name()).toString()))
                .append("&state=").append(state)
                .append("&code_challenge=").append(Pkce.challenge(verifier))
                .append("&code_challenge_method=S256");
        if (!provider.scopes().isEmpty()) {
            url.append("&scope=").append(encode(provider.scopes()));
        }
        if (!provider.authorizeParams().isEmpty()) {
            url.append('&').append(provider.authorizeParams());
        }
        return new StartedAuthorization(URI.create(url.toString()), BrowserBinding.cookieName(state), nonce,
                callbackPathPrefix(), lifetime);
    }

    /**
     * Finishes the flow the provider sent back. Errors (the provider's, a wrong, used or expired state, a browser
     * other than the one that started it, a missing code, a refused exchange) store nothing.
     *
     * @param browserNonce the value of the state's binding cookie ({@link BrowserBinding#cookieName}), null if the
     *                     browser sent none
     */
    public Connection complete(String providerName, String state, String code, String error, String browserNonce) {
        OAuthProvider provider = providers.require(providerName);
        if (state == null || !STATE.matcher(state).matches()) {
            throw new InvalidStateException("The state is missing or malformed. Start the connection again.");
        }
        // Taken first, whatever else is wrong: a state is good for one callback only.
        PendingAuthorization pending = authorizations.take(OpaqueTokens.hash(state)).orElseThrow(() ->
                new InvalidStateException("This authorization is unknown or was already used. Start the connection"
                        + " again."));
        Instant now = clock.instant();
        if (!pending.provider().equals(provider.name())) {
            throw new InvalidStateException("This authorization was started for another provider.");
        }
        if (!pending.expiresAt().isAfter(now)) {
            throw new InvalidStateException("This authorization expired. Start the connection again.");
        }
        // After the state is used up: a callback from another browser burns the attacker's state too.
        if (!BrowserBinding.matches(pending.browserNonceHash(), browserNonce)) {
            throw new NotFromThisBrowserException();
        }
        if (error != null && !error.isBlank()) {
            throw new ProviderDeniedException(ERROR_CODE.matcher(error).matches() ? error : "error");
        }
        if (code == null || code.isBlank()) {
            throw new MissingCodeException();
        }
        if (code.length() > MAX_CODE_CHARS) {
            throw new InvalidInputException("The authorization code is longer than " + MAX_CODE_CHARS
                    + " characters.", new FieldError("code", "too long"));
        }
        String verifier;
        try {
            verifier = cipher.openVerifier(OpaqueTokens.hash(state), pending.codeVerifierEnc());
        } catch (SecretBox.DecryptionFailedException e) {
            // its key left flowline.encryption-keys while the user was at the provider
            throw new InvalidStateException("This authorization can no longer be read. Start the connection again.");
        }
        TokenGrant grant = client.exchangeCode(provider, code, redirectUri(provider.name()), verifier, now);
        Optional<String> email = client.accountEmail(provider, grant.accessToken());
        return store.storePersonal(pending.userId(), provider.name(), email.orElse(null), grant);
    }

    /** The callback address registered with the provider: under the API's own address when it is not the front end's. */
    public URI redirectUri(String providerName) {
        return URI.create(callbacksBase() + providerName + "/callback");
    }

    /**
     * The path the binding cookie is sent back to: the callbacks' address up to {@code /connections/}, as the provider
     * sends the browser there (behind a proxy prefix too, which the API's own request path would miss).
     */
    public String callbackPathPrefix() {
        return URI.create(callbacksBase()).getRawPath();
    }

    private String callbacksBase() {
        String path = "api/v1/connections/";
        return redirectBaseUrl.filter(value -> !value.isBlank())
                .map(base -> base.replaceAll("/+$", "") + "/" + path)
                .orElseGet(() -> links.page(path));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
