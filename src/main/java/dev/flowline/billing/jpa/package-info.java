/**
 * {@link dev.flowline.billing.BillingRepository} and {@link dev.flowline.billing.OverageReportRepository} on
 * PostgreSQL. Used by no other area.
 */
package dev.flowline.billing.jpa;
