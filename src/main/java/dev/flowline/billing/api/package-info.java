/** The HTTP face of billing ({@code /billing}, {@code /billing/stripe/webhook}). Used by no other area. */
package dev.flowline.billing.api;
