/**
 * Security primitives the areas share: opaque token generation and hashing, the role names, and the current caller
 * ({@link dev.flowline.platform.security.CurrentSession}) as the authentication mechanism in {@code auth} set it.
 */
package dev.flowline.platform.security;
