/**
 * The injectable {@link java.time.Clock}: every rule that depends on "now" asks it, so tests can move time.
 */
package dev.flowline.platform.time;
