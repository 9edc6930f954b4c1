/**
 * Connections: everything a workflow authenticates with. OAuth accounts a user connects (personal tokens, encrypted
 * at rest) and credentials that are not OAuth (api-key, bearer, basic, headers; encrypted, write-only, each with the
 * origins it may be sent to), both personal and shared into workspaces the same way.
 *
 * <p>Providers are configuration ({@link dev.flowline.connections.OAuthProviders}); {@link
 * dev.flowline.connections.OAuthFlow} runs the authorization-code flow with PKCE and a single-use state bound to the
 * user; {@link dev.flowline.connections.TokenRefresher} refreshes one token at a time under its row lock;
 * {@link dev.flowline.connections.WorkspaceOAuthService} is the only way to a usable access token and
 * {@link dev.flowline.connections.WorkspaceCredentialService#credentialForRun} the only way to a decrypted credential
 * (membership of the sharer is checked in the database before anything is decrypted). {@link
 * dev.flowline.connections.CredentialOrigins} is the origin rule of both. {@link
 * dev.flowline.connections.MemberConnectionsCleanup} removes a leaving member's shares; {@link
 * dev.flowline.connections.ConnectionMaintenance} refreshes tokens and re-encrypts tokens and credentials under a
 * new key. Uses platform, users and workspaces; used by the engine (the HTTP node, the refresh and re-encryption jobs).
 */
package dev.flowline.connections;
