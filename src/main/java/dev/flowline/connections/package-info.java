/**
 * Connections: OAuth accounts a user connects (personal tokens, encrypted at rest) and shares into workspaces.
 *
 * <p>Providers are configuration ({@link dev.flowline.connections.OAuthProviders}); {@link
 * dev.flowline.connections.OAuthFlow} runs the authorization-code flow with PKCE and a single-use state bound to the
 * user; {@link dev.flowline.connections.TokenRefresher} refreshes one token at a time under its row lock;
 * {@link dev.flowline.connections.WorkspaceOAuthService} is the only way to a usable access token (membership is
 * checked in the database before anything is decrypted). Uses platform, users and workspaces; used by the engine
 * (the HTTP node, the refresh and re-encryption jobs).
 */
package dev.flowline.connections;
