package dev.flowline.connections.api;

import dev.flowline.connections.OAuthFlow;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Clears the state's binding cookie on the callback's answer whatever the outcome, problems included (those are
 * built by the exception mappers, which this filter also sees): the state is used up either way, so its cookie has
 * nothing left to prove. Other states' cookies (other tabs) stay.
 */
@Provider
@ClearsBindingCookie
public class BindingCookieClearFilter implements ContainerResponseFilter {

    @Inject
    BindingCookies cookies;

    @Inject
    OAuthFlow flow;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String state = request.getUriInfo().getQueryParameters().getFirst("state");
        if (state != null && !state.isEmpty()) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, cookies.clear(state, flow.callbackPathPrefix()));
        }
    }
}
