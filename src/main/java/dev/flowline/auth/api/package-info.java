/**
 * The HTTP face of signing in ({@code /auth}, {@code /password}) and the Jakarta Security mechanism that turns a
 * Bearer token or session cookie into the caller. Used by no other area.
 */
package dev.flowline.auth.api;
