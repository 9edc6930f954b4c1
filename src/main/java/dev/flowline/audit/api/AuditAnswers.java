package dev.flowline.audit.api;

import dev.flowline.audit.AuditEvent;
import dev.flowline.audit.AuditFilter;
import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.input.QueryValues;
import dev.flowline.platform.pagination.Keyset;
import dev.flowline.platform.pagination.Page;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * What the three audit resources share: the query parameters, and the two answers. JSON is one keyset page. NDJSON is
 * every event the filters select, one JSON object per line, written page by page of {@link Keyset#MAX_LIMIT} (each
 * read in its own short transaction), so an export never holds the log in memory; the first page is read before
 * the answer starts, so a refusal (403, 400) is still a problem+json.
 *
 * <p>The resources declare the query parameters each: a {@code @BeanParam} class holding them once was tried, and
 * Payara 6's OpenAPI scanner fails on {@code @Parameter} fields of such a class (NullPointerException in
 * {@code ApiContext.getPath}, the whole document a 500); without {@code @Parameter} the ids and times would lose
 * their formats in the contract.
 */
final class AuditAnswers {

    static final String NDJSON = "application/x-ndjson";

    private AuditAnswers() {
    }

    static AuditFilter filter(String event, String actor, String since, String until) {
        return new AuditFilter(event == null || event.isBlank() ? null : event.strip(), QueryValues.uuid("actor", actor),
                QueryValues.time("since", since), QueryValues.time("until", until));
    }

    static boolean ndjson(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "ndjson" -> true;
                case "json" -> false;
                default -> throw new InvalidInputException("format must be json or ndjson.",
                        new FieldError("format", "must be json or ndjson"));
            };
        }
        return headers.getAcceptableMediaTypes().stream().anyMatch(type -> type.isCompatible(MediaType.valueOf(NDJSON))
                && !type.isWildcardType() && !type.isWildcardSubtype());
    }

    /** {@code pages} answers the page after a cursor (null: the first) of the given size. */
    static Response answer(boolean ndjson, String cursor, Integer limit,
                           BiFunction<String, Integer, Page<AuditEvent>> pages) {
        if (!ndjson) {
            Page<AuditEvent> page = pages.apply(cursor, limit);
            return Response.ok(new AuditPage(page.items().stream().map(AuditEventResponse::of).toList(),
                    page.nextCursor()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        Page<AuditEvent> first = pages.apply(cursor, Keyset.MAX_LIMIT);
        StreamingOutput lines = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            Page<AuditEvent> page = first;
            while (true) {
                for (AuditEvent event : page.items()) {
                    writer.write(AuditEventResponse.of(event).toJson().toString());
                    writer.write('\n');
                }
                writer.flush();
                if (page.nextCursor() == null) {
                    return;
                }
                page = pages.apply(page.nextCursor(), Keyset.MAX_LIMIT);
            }
        };
        return Response.ok(lines, NDJSON + ";charset=utf-8").build();
    }
}
