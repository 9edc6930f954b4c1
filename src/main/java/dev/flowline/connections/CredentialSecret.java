package dev.flowline.connections;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A credential's secret, checked against its kind: what is encrypted (as one JSON object of the kind's fields) and
 * what a request sends. Header names are RFC 7230 tokens and never a header the HTTP client or the connection owns
 * (Host, Content-Length, hop-by-hop headers); values carry no control character but tab (no CR, LF or NUL can split
 * a request), are ASCII where they are sent as a header value as they are, and hold at most {@link #MAX_VALUE_CHARS}
 * characters. {@link #toString()} never shows a value.
 */
public final class CredentialSecret {

    public static final int MAX_HEADERS = 10;
    public static final int MAX_VALUE_CHARS = 8192;
    static final int MAX_NAME_CHARS = 256;

    /** Headers the HTTP client, the connection or a proxy own: a credential may not set them. */
    static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
            "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect", "proxy-authorization",
            "proxy-authenticate", "http2-settings");

    private final CredentialKind kind;
    private final Map<String, String> fields;
    private final Map<String, String> headers;

    private CredentialSecret(CredentialKind kind, Map<String, String> fields, Map<String, String> headers) {
        this.kind = kind;
        this.fields = Map.copyOf(fields);
        this.headers = headers == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * Checks {@code given} against {@code kind}.
     *
     * @param path the field path of the fields in the request ({@code secret}), for the errors
     * @throws InvalidInputException listing every field that is missing, not of this kind, or invalid
     */
    public static CredentialSecret of(CredentialKind kind, CredentialFields given, String path) {
        List<FieldError> errors = new ArrayList<>();
        if (given == null) {
            throw new InvalidInputException("A credential needs its secret.", new FieldError(path, "must not be null"));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> headers = null;
        Set<String> allowed = switch (kind) {
            case API_KEY -> Set.of("in", "name", "value");
            case BEARER -> Set.of("token");
            case BASIC -> Set.of("username", "password");
            case HEADERS -> Set.of("headers");
        };
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("in", given.in());
        sent.put("name", given.name());
        sent.put("value", given.value());
        sent.put("token", given.token());
        sent.put("username", given.username());
        sent.put("password", given.password());
        sent.put("headers", given.headers());
        sent.forEach((field, value) -> {
            if (value != null && !allowed.contains(field)) {
                errors.add(new FieldError(path + "." + field, "is not a field of " + kind.wireName() + " credentials"));
            } else if (value == null && allowed.contains(field)) {
                errors.add(new FieldError(path + "." + field, "must not be null"));
            }
        });
        switch (kind) {
            case API_KEY -> {
                String in = given.in();
                if (in != null && !in.equals("header") && !in.equals("query")) {
                    errors.add(new FieldError(path + ".in", "must be header or query"));
                }
                if (given.name() != null) {
                    if ("query".equals(in)) {
                        queryName(given.name(), path + ".name", errors);
                    } else {
                        headerName(given.name(), path + ".name", errors);
                    }
                }
                value(given.value(), path + ".value", true, !"query".equals(in), errors);
                fields.put("in", in);
                fields.put("name", given.name());
                fields.put("value", given.value());
            }
            case BEARER -> {
                value(given.token(), path + ".token", true, true, errors);
                fields.put("token", given.token());
            }
            case BASIC -> {
                value(given.username(), path + ".username", true, false, errors);
                if (given.username() != null && given.username().indexOf(':') >= 0) {
                    errors.add(new FieldError(path + ".username", "must not contain ':' (RFC 7617)"));
                }
                value(given.password(), path + ".password", false, false, errors);
                fields.put("username", given.username());
                fields.put("password", given.password());
            }
            case HEADERS -> {
                Map<String, String> pairs = given.headers();
                if (pairs != null) {
                    if (pairs.isEmpty() || pairs.size() > MAX_HEADERS) {
                        errors.add(new FieldError(path + ".headers", "must hold 1 to " + MAX_HEADERS + " headers"));
                    }
                    Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    pairs.forEach((name, value) -> {
                        String at = path + ".headers." + printable(name);
                        headerName(name, at, errors);
                        if (!seen.add(name)) {
                            errors.add(new FieldError(at, "is given twice (header names ignore case)"));
                        }
                        if (value == null) {
                            errors.add(new FieldError(at, "must not be null"));
                        }
                        value(value, at, true, true, errors);
                    });
                    headers = pairs;
                }
            }
            default -> throw new IllegalStateException(kind.name());
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("The credential's secret is not valid for its kind "
                    + kind.wireName() + ".", errors.toArray(FieldError[]::new));
        }
        return new CredentialSecret(kind, fields, headers);
    }

    /** Reads what {@link #toJson()} wrote (after decryption); the kind is the row's. */
    public static CredentialSecret fromJson(CredentialKind kind, String json) {
        JsonObject object;
        try (JsonReader reader = Jsons.createReader(new StringReader(json))) {
            object = reader.readObject();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> headers = null;
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            if (entry.getKey().equals("headers")) {
                headers = new LinkedHashMap<>();
                for (Map.Entry<String, JsonValue> header : entry.getValue().asJsonObject().entrySet()) {
                    headers.put(header.getKey(), ((JsonString) header.getValue()).getString());
                }
            } else {
                fields.put(entry.getKey(), ((JsonString) entry.getValue()).getString());
            }
        }
        return new CredentialSecret(kind, fields, headers);
    }

    /** The kind's fields as one JSON object: the plaintext that is encrypted. */
    public String toJson() {
        JsonObjectBuilder builder = Jsons.createObjectBuilder();
        fields.forEach(builder::add);
        if (headers != null) {
            JsonObjectBuilder pairs = Jsons.createObjectBuilder();
            headers.forEach(pairs::add);
            builder.add("headers", pairs);
        }
        return builder.build().toString();
    }

    public CredentialKind kind() {
        return kind;
    }

    /** What may be shown of it. */
    public CredentialShape shape() {
        return switch (kind) {
            case API_KEY -> new CredentialShape(fields.get("in"), fields.get("name"), null);
            case HEADERS -> new CredentialShape(null, null, List.copyOf(headers.keySet()));
            default -> CredentialShape.none();
        };
    }

    /** The headers a request carries for it. */
    public Map<String, String> requestHeaders() {
        return switch (kind) {
            case API_KEY -> "header".equals(fields.get("in")) ? Map.of(fields.get("name"), fields.get("value")) : Map.of();
            case BEARER -> Map.of("Authorization", "Bearer " + fields.get("token"));
            case BASIC -> Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (fields.get("username") + ":" + fields.get("password")).getBytes(StandardCharsets.UTF_8)));
            case HEADERS -> headers;
        };
    }

    /** The query parameters a request's URL carries for it. */
    public Map<String, String> queryParameters() {
        return kind == CredentialKind.API_KEY && "query".equals(fields.get("in"))
                ? Map.of(fields.get("name"), fields.get("value")) : Map.of();
    }

    @Override
    public String toString() {
        return "CredentialSecret[" + kind.wireName() + ", values hidden]";
    }

    /** RFC 7230 token: visible ASCII but delimiters. */
    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static void headerName(String name, String field, List<FieldError> errors) {
        if (name.length() > MAX_NAME_CHARS || !isToken(name)) {
            errors.add(new FieldError(field, "must be a header name (an RFC 7230 token of at most "
                    + MAX_NAME_CHARS + " characters)"));
        } else if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError(field, "is a header the HTTP client sets itself; a credential cannot set it"));
        }
    }

    private static void queryName(String name, String field, List<FieldError> errors) {
        if (name.isBlank() || name.length() > MAX_NAME_CHARS || hasControl(name, false)) {
            errors.add(new FieldError(field, "must be a query parameter name of 1 to " + MAX_NAME_CHARS
                    + " characters, without control characters"));
        }
    }

    /** {@code inHeader}: sent as a header value as it is, so visible ASCII, space and tab only. */
    private static void value(String value, String field, boolean required, boolean inHeader,
                              List<FieldError> errors) {
        if (value == null) {
            return; // reported as missing already
        }
        if (required && value.isEmpty()) {
            errors.add(new FieldError(field, "must not be empty"));
        } else if (value.length() > MAX_VALUE_CHARS) {
            errors.add(new FieldError(field, "must hold at most " + MAX_VALUE_CHARS + " characters"));
        } else if (hasControl(value, true)) {
            errors.add(new FieldError(field, "must not contain control characters (CR, LF, NUL...)"));
        } else if (inHeader && !value.chars().allMatch(c -> c < 0x7f)) {
            errors.add(new FieldError(field, "must be ASCII: it is sent as a header value"));
        }
    }

    private static boolean hasControl(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && !(tabAllowed && c == '\t')) || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** A header name as a field path can show it: invalid names are shown escaped and cut short. */
    private static String printable(String name) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < name.length() && i < 64; i++) {
            char c = name.charAt(i);
            shown.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : c);
        }
        return shown.toString();
    }
}
