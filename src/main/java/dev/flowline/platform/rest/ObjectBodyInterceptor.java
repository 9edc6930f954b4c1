package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request record is read from a JSON object only. Yasson reads a top-level array into a record by taking its
 * first element ({@code [{"email": ...}]} passed as {@code {"email": ...}}), which hides a client's mistake.
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
        }
        return context.proceed();
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
