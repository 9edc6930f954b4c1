/** {@link dev.flowline.audit.AuditRepository} on PostgreSQL and its entity. Used by no other area. */
package dev.flowline.audit.jpa;
