package dev.flowline.auth.api;

import dev.flowline.auth.SignInLimits;
import dev.flowline.platform.security.ClientAddresses;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Takes a permit of {@link SignInLimits} before a {@link SignInLimited} endpoint reads its body or hashes anything;
 * a refusal is a 429 problem with Retry-After.
 */
@Provider
@SignInLimited
@Priority(Priorities.AUTHENTICATION)
public class SignInLimitFilter implements ContainerRequestFilter {

    @Inject
    SignInLimits limits;

    @Inject
    ClientAddresses addresses;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        limits.admit(addresses.of(request));
    }
}
