package dev.flowline.platform.rest;

import jakarta.ws.rs.core.UriInfo;

/** The request path for a problem's {@code instance}, without the query string (which may carry tokens). */
final class RequestPaths {

    private RequestPaths() {
    }

    static String path(UriInfo uriInfo) {
        try {
            return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
        } catch (RuntimeException outsideOfRequest) {
            return null;
        }
    }
}
