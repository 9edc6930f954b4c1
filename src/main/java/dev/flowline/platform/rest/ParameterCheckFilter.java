package dev.flowline.platform.rest;

import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Path and query parameters that cannot be converted to their Java type are a 400 naming the parameter. JAX-RS
 * answers them with a 404 (for a path or query parameter the specification says "not found"), which tells a client
 * nothing: {@code ?limit=abc} is "limit must be an integer", {@code /versions/x} "number must be an integer",
 * {@code /workspaces/abc} "workspaceId must be a UUID". Runs after authentication and authorisation (an anonymous
 * caller still gets its 401 first), before the parameters are converted.
 *
 * <p>Which parameters of a resource method need a look is read once per method: {@code Parameter.getAnnotations()}
 * parses the method's parameter annotations again at every call (the JDK keeps no copy), 4-5% of the server's CPU
 * on {@code POST /hooks/{id}}, whose body parameter carries the OpenAPI annotations.
 */
@Provider
@Priority(Priorities.USER)
public class ParameterCheckFilter implements ContainerRequestFilter {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Context
    ResourceInfo resourceInfo;

    /** Per resource method, its parameters that {@link #problem} can find wrong. */
    private final Map<Method, List<Converted>> converted = new ConcurrentHashMap<>();

    /** A path or query parameter converted to a type other than text. */
    record Converted(String where, String name, Class<?> type) {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo.getResourceMethod();
        if (method == null) {
            return;
        }
        List<Converted> parameters = convertedParameters(method);
        if (parameters.isEmpty()) {
            return;
        }
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters(true);
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        List<FieldError> errors = new ArrayList<>();
        for (Converted parameter : parameters) {
            MultivaluedMap<String, String> values = parameter.where().equals("Path") ? path : query;
            check(parameter.where(), parameter.name(), values.get(parameter.name()), parameter.type(), errors);
        }
        if (!errors.isEmpty()) {
            FieldError first = errors.get(0);
            throw new InvalidInputException(first.field() + " " + first.message() + ".",
                    errors.toArray(FieldError[]::new));
        }
    }

    /** The parameters of {@code method} worth checking, in order; read from its annotations once. */
    List<Converted> convertedParameters(Method method) {
        return converted.computeIfAbsent(method, ParameterCheckFilter::read);
    }

    private static List<Converted> read(Method method) {
        List<Converted> found = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            if (!checkable(parameter.getType())) {
                continue;
            }
            for (Annotation annotation : parameter.getAnnotations()) {
                if (annotation instanceof PathParam p) {
                    found.add(new Converted("Path", p.value(), parameter.getType()));
                } else if (annotation instanceof QueryParam q) {
                    found.add(new Converted("Query", q.value(), parameter.getType()));
                }
            }
        }
        return List.copyOf(found);
    }

    /** The types {@link #problem} knows: any other is taken as text. */
    private static boolean checkable(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Boolean.class || type == boolean.class || type == UUID.class || type.isEnum();
    }

    private static void check(String where, String name, List<String> values, Class<?> type, List<FieldError> errors) {
        if (values == null) {
            return;
        }
        for (String value : values) {
            String problem = problem(value, type);
            if (problem != null) {
                errors.add(new FieldError(name, problem + " (" + where.toLowerCase(Locale.ROOT) + " parameter)"));
                return;
            }
        }
    }

    /** Null when JAX-RS can convert {@code value} to {@code type} as a client meant it; else what it must be. */
    static String problem(String text, Class<?> type) {
        // JAX-RS reads an empty value as absent, and numbers without surrounding blanks
        String value = text.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (type == Integer.class || type == int.class) {
            return parses(() -> Integer.parseInt(value)) ? null
                    : "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return parses(() -> Long.parseLong(value)) ? null
                    : "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == Boolean.class || type == boolean.class) {
            return value.equals("true") || value.equals("false") ? null : "must be true or false";
        }
        if (type == UUID.class) {
            return UUID_TEXT.matcher(value).matches() ? null : "must be a UUID such as 3f2c9a4e-8d1b-4c7e-9a2f-1b2c3d4e5f60";
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(value)) {
                    return null;
                }
            }
            return "must be one of " + BodyShape.acceptedValues(type);
        }
        return null;
    }

    private static boolean parses(Runnable conversion) {
        try {
            conversion.run();
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
