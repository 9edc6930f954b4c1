/** {@link dev.flowline.auth.SessionRepository} on PostgreSQL and the session entity. Used by no other area. */
package dev.flowline.auth.jpa;
