/**
 * {@link dev.flowline.auth.SessionRepository} and {@link dev.flowline.auth.LoginThrottleRepository} on PostgreSQL,
 * with their entities. Used by no other area.
 */
package dev.flowline.auth.jpa;
