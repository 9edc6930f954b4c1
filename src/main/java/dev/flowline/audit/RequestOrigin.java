package dev.flowline.audit;

import dev.flowline.platform.rest.RequestIds;
import dev.flowline.platform.security.ClientAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The client address (as rate limits see it: {@code flowline.http.trusted-proxies}) and the request id of the HTTP
 * request being served on this thread; neither for background work.
 */
@ApplicationScoped
class RequestOrigin {

    @Inject
    ClientAddresses addresses;

    @Inject
    Instance<HttpServletRequest> request;

    AuditEntries.Origin current() {
        String requestId = RequestIds.current();
        if (requestId == null) {
            return AuditEntries.Origin.NONE;
        }
        String address;
        try {
            address = addresses.of(request.get());
        } catch (ContextNotActiveException | IllegalStateException e) {
            address = null;
        }
        return new AuditEntries.Origin(address, requestId);
    }
}
