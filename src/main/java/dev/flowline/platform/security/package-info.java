/**
 * Security primitives the areas share: opaque token generation and hashing, the role names, the current caller
 * ({@link dev.flowline.platform.security.CurrentSession}) as the authentication mechanism in {@code auth} set it, the
 * client address of a request ({@link dev.flowline.platform.security.ClientAddresses}, trusted proxies only) and
 * rate limits per key ({@link dev.flowline.platform.security.KeyedRateLimiter}, Bucket4j).
 */
package dev.flowline.platform.security;
