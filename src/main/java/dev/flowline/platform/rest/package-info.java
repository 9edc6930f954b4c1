/**
 * The HTTP edge shared by every resource: the JAX-RS application under {@code /api/v1}, problem+json mappers for
 * every error family, the request size limit, JSON-B settings, ETags and request helpers. Knows no area.
 */
package dev.flowline.platform.rest;
