/**
 * Typed domain errors shared by every area. Services throw them; the REST layer maps them to problem+json.
 */
package dev.flowline.platform.errors;
