package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.errors.UnsupportedMediaException;
import dev.flowline.platform.input.ClientJson;
import dev.flowline.platform.input.ClientText;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, for every operation at once, the input that would otherwise reach PostgreSQL or a parser unchecked:
 * U+0000 in the path, a query parameter or a header value (400 naming it); a body on GET, HEAD, DELETE or
 * OPTIONS (400); an unparseable {@code Content-Type} (400)
 * or one with a charset that is unknown, or not UTF-8 for JSON (415); and a JSON body that breaks a
 * {@link ClientJson} rule (400 naming the field). Runs after {@link RequestSizeLimitFilter}, so the body it reads is
 * bounded; the checked bytes are handed on unchanged (webhook signatures cover them).
 */
@Provider
@PreMatching
@Priority(Priorities.USER + 100)
public class RequestInputFilter implements ContainerRequestFilter {

    /**
     * Methods whose requests carry no body here. Grizzly refuses such a body itself, with an empty 400, unless the
     * listener allows it ({@code allow-payload-for-undefined-http-methods}, see docs/api/errors.md); then it is refused here,
     * as problem+json, rather than silently ignored.
     */
    private static final Set<String> BODILESS_METHODS = Set.of("GET", "HEAD", "DELETE", "OPTIONS");

    @Override
    public void filter(ContainerRequestContext request) {
        checkPath(request);
        checkQuery(request);
        checkHeaders(request.getHeaders());
        if (BODILESS_METHODS.contains(request.getMethod()) && request.hasEntity()) {
            throw new InvalidInputException(request.getMethod() + " takes no body: send the request without one.",
                    new FieldError("body", "not allowed with " + request.getMethod()));
        }
        MediaType type = contentType(request.getHeaderString("Content-Type"));
        if (type != null && request.hasEntity() && isJson(type)) {
            checkJsonBody(request);
        }
    }

    private static void checkPath(ContainerRequestContext request) {
        List<PathSegment> segments;
        try {
            segments = request.getUriInfo().getPathSegments(true);
        } catch (IllegalArgumentException badEscape) {
            throw new InvalidInputException("The path is not valid percent-encoding.", new FieldError("path", "malformed"));
        }
        for (PathSegment segment : segments) {
            ClientText.require("path", segment.getPath());
            segment.getMatrixParameters().forEach((name, values) -> values.forEach(v -> ClientText.require(name, v)));
        }
    }

    private static void checkQuery(ContainerRequestContext request) {
        MultivaluedMap<String, String> query;
        try {
            query = request.getUriInfo().getQueryParameters(true);
        } catch (IllegalArgumentException badEscape) {
            throw new InvalidInputException("The query string is not valid percent-encoding.",
                    new FieldError("query", "malformed"));
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            ClientText.require("query parameter name", parameter.getKey());
            for (String value : parameter.getValue()) {
                ClientText.require(parameter.getKey(), value);
            }
        }
    }

    // Grizzly already refuses control characters in header lines; this guards other connectors and decodings.
    private static void checkHeaders(MultivaluedMap<String, String> headers) {
        headers.forEach((name, values) -> values.forEach(value -> ClientText.require(name, value)));
    }

    /** The body's media type; null without one. Parsed here so that a malformed header is our 400, not Jersey's page. */
    static MediaType contentType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(header);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("The Content-Type header is malformed.",
                    new FieldError("Content-Type", "malformed"));
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null) {
            if (!supported(charset.strip())) {
                throw new UnsupportedMediaException("The charset '" + printable(charset) + "' is not supported: send UTF-8.");
            }
            if (isJson(type) && !Charset.forName(charset.strip()).equals(StandardCharsets.UTF_8)) {
                throw new UnsupportedMediaException("JSON is read as UTF-8 only (RFC 8259): drop the charset or send charset=utf-8.");
            }
        }
        return type;
    }

    static boolean isJson(MediaType type) {
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        return type.getType().equalsIgnoreCase("application") && (subtype.equals("json") || subtype.endsWith("+json"));
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static void checkJsonBody(ContainerRequestContext request) {
        byte[] body;
        try {
            body = request.getEntityStream().readAllBytes();
        } catch (IOException clientGone) {
            throw new InvalidInputException("The body could not be read.", new FieldError("body", "unreadable"));
        }
        request.setEntityStream(new ByteArrayInputStream(body));
        // An empty or blank body is each endpoint's to judge (some take none, the others answer 400)
        if (!new String(body, StandardCharsets.ISO_8859_1).isBlank()) {
            ClientJson.check(body);
        }
    }
}
