/** The HTTP face of workflows, versions, schedules and webhooks. Used by no other area. */
package dev.flowline.workflows.api;
