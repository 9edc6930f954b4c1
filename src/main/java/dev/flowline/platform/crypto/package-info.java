/**
 * Secrets at rest: {@link dev.flowline.platform.crypto.SecretBox} (AES-256-GCM with a key id prefix for rotation and
 * associated data binding a ciphertext to its row) and the configured keys. Uses only the JDK and MicroProfile Config.
 */
package dev.flowline.platform.crypto;
