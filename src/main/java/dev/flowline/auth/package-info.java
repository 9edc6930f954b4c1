/**
 * Signing in: sessions (stored as token hashes, with an idle timeout), password hashing and checks, the defences of
 * the unauthenticated endpoints (rate limits per client address and global, bounded concurrent hashing, login
 * delays per account and client address), email verification bound to the account, email pacing, password reset and
 * change. Uses {@code users} and {@code platform}; no area uses it (resources only need
 * {@code platform.security.CurrentSession}).
 */
package dev.flowline.auth;
