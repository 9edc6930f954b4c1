/**
 * Signing in: sessions (stored as token hashes), password hashing and checks, lockout and email pacing, password
 * reset and change. Uses {@code users} and {@code platform}; no area uses it (resources only need
 * {@code platform.security.CurrentSession}).
 */
package dev.flowline.auth;
