package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A request record is read from a JSON object only. Yasson reads a top-level array into a record by taking its
 * first element ({@code [{"email": ...}]} passed as {@code {"email": ...}}), which hides a client's mistake.
 * <p>
 * Before JSON-B reads a JSON body into a record, {@link BodyShape} checks it against the record's components, so that
 * an unknown property, a value of the wrong type or an unknown enum value is a 400 naming the field (and the accepted
 * values), not JSON-B's failure, which names nothing a client knows.
 */
@Provider
public class ObjectBodyInterceptor implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (context.getType().isRecord()) {
            InputStream body = context.getInputStream();
            if (!body.markSupported()) {
                body = new BufferedInputStream(body);
                context.setInputStream(body);
            }
            int first = firstNonBlank(body);
            if (first != -1 && first != '{') {
                throw new InvalidInputException("The body must be a JSON object.",
                        new FieldError("body", "must be a JSON object"));
            }
            if (first != -1 && isJson(context.getMediaType())) {
                checkShape(context);
            }
        }
        return context.proceed();
    }

    /** Reads the (size-limited) body, hands it on unchanged, and refuses it when it does not fit the record. */
    private static void checkShape(ReaderInterceptorContext context) throws IOException {
        byte[] body = context.getInputStream().readAllBytes();
        context.setInputStream(new ByteArrayInputStream(body));
        JsonValue value;
        try (JsonReader reader = Jsons.createReader(new InputStreamReader(new ByteArrayInputStream(body),
                StandardCharsets.UTF_8))) {
            value = reader.readValue();
        } catch (JsonException | IllegalStateException notJson) {
            return; // the syntax is RequestInputFilter's and JSON-B's to refuse
        }
        List<FieldError> errors = BodyShape.problems(value, context.getGenericType());
        if (!errors.isEmpty()) {
            FieldError first = errors.get(0);
            String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more in 'errors')" : "";
            throw new InvalidInputException(first.field() + " " + first.message() + more + ".",
                    errors.toArray(FieldError[]::new));
        }
    }

    private static boolean isJson(MediaType type) {
        return type != null && RequestInputFilter.isJson(type);
    }

    /** The first byte that is not JSON whitespace, or -1; the stream is reset to where it was. */
    private static int firstNonBlank(InputStream body) throws IOException {
        // bounded by the body size limit, which keeps the mark's buffer small too
        body.mark(Integer.MAX_VALUE);
        try {
            int b;
            do {
                b = body.read();
            } while (b == ' ' || b == '\t' || b == '\n' || b == '\r');
            return b;
        } finally {
            body.reset();
        }
    }
}
