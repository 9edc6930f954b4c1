/** The public webhook endpoint ({@code /api/v1/hooks/{id}}) and the delivery log of a workflow. Used by no other area. */
package dev.flowline.triggers.api;
