package dev.flowline.platform.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the matched operation by its route template ({@code /api/v1/workspaces/{workspaceId}/runs}), never the raw
 * path with its ids, for the request log and the HTTP metrics ({@link RequestLog}). Runs first, right after matching,
 * so a request refused by authentication or validation still has its route.
 */
@Provider
@Priority(1)
public class RouteTemplates implements ContainerRequestFilter {

    /** The request property (a servlet request attribute in a servlet container) holding the template. */
    static final String ATTRIBUTE = "dev.flowline.route";

    private static final String BASE = FlowlineApplication.class.getAnnotation(ApplicationPath.class).value();
    private static final Map<Method, String> TEMPLATES = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo.getResourceMethod();
        Class<?> resource = resourceInfo.getResourceClass();
        if (method != null && resource != null) {
            request.setProperty(ATTRIBUTE, TEMPLATES.computeIfAbsent(method, m -> template(resource, m)));
        }
    }

    static String template(Class<?> resource, Method method) {
        StringBuilder template = new StringBuilder();
        append(template, BASE);
        Path onClass = resource.getAnnotation(Path.class);
        if (onClass != null) {
            append(template, onClass.value());
        }
        Path onMethod = method.getAnnotation(Path.class);
        if (onMethod != null) {
            append(template, onMethod.value());
        }
        // {id: [0-9]+} is {id}: the regular expression is not part of the route's name
        return template.toString().replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
    }

    private static void append(StringBuilder template, String segment) {
        String trimmed = segment.replaceAll("^/+|/+$", "");
        if (!trimmed.isEmpty()) {
            template.append('/').append(trimmed);
        }
    }
}
