/**
 * {@link dev.flowline.users.UserRepository} on PostgreSQL and the {@code users} and {@code user_tokens} entities;
 * unique emails and single-use tokens are single native statements. Used by no other area.
 */
package dev.flowline.users.jpa;
