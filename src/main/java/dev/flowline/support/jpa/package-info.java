/** {@link dev.flowline.support.IssueReportRepository} on PostgreSQL and its entity. Used by no other area. */
package dev.flowline.support.jpa;
