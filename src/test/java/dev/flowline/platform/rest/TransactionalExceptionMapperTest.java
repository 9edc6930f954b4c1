package dev.flowline.platform.rest;

import dev.flowline.platform.persistence.DatabaseAvailability;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Providers;
import org.junit.jupiter.api.Test;

import javax.transaction.xa.XAException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionalExceptionMapperTest {

    private final UnexpectedErrorMapper unexpected = new UnexpectedErrorMapper();
    private final TransactionalExceptionMapper mapper = new TransactionalExceptionMapper();

    {
        unexpected.database = new DatabaseAvailability();
        mapper.providers = new Providers() { // as Jersey finds them: only the last-resort mapper here
            @Override
            @SuppressWarnings("unchecked")
            public <T extends Throwable> ExceptionMapper<T> getExceptionMapper(Class<T> type) {
                return (ExceptionMapper<T>) unexpected;
            }

            @Override
            public <T> MessageBodyReader<T> getMessageBodyReader(Class<T> type, Type genericType, Annotation[] annotations,
                                                                 MediaType mediaType) {
                return null;
            }

            @Override
            public <T> MessageBodyWriter<T> getMessageBodyWriter(Class<T> type, Type genericType, Annotation[] annotations,
                                                                 MediaType mediaType) {
                return null;
            }

            @Override
            public <T> ContextResolver<T> getContextResolver(Class<T> contextType, MediaType mediaType) {
                return null;
            }
        };
    }

    @Test
    void aCommitTheDatabaseWentAwayUnderIs503WithRetryAfter() throws Exception {
        XAException xa = new XAException("jakarta.resource.spi.LocalTransactionException: FATAL: terminating connection"
                + " due to administrator command");
        xa.errorCode = XAException.XAER_RMERR;
        SystemException system = new SystemException();
        system.initCause(xa);

        Response response = mapper.toResponse(new TransactionalException("encountered exception during commit", system));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isNotNull();
        assertThat((String) response.getEntity()).contains("problems/service-unavailable");
    }

    @Test
    void anotherTransactionFailureStaysA500() {
        Response response = mapper.toResponse(new TransactionalException("no transaction", new IllegalStateException()));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat((String) response.getEntity()).contains("problems/internal-error");
    }
}
