/** {@link dev.flowline.triggers.WebhookDeliveryRepository} on PostgreSQL and its entity. Used by no other area. */
package dev.flowline.triggers.jpa;
