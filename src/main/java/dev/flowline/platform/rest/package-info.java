/**
 * The HTTP edge shared by every resource: the JAX-RS application under {@code /api/v1}, problem+json mappers for
 * every error family, the checks that make a refused request name what to fix (the body against its record,
 * path and query parameters, input PostgreSQL would refuse), the request size limit, JSON-B settings, ETags,
 * request ids, the request log and HTTP metrics, and the OpenAPI contract filter. Knows no area.
 */
package dev.flowline.platform.rest;
