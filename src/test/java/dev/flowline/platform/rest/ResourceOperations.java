package dev.flowline.platform.rest;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

/**
 * The REST operations as the code declares them, read from the resources' annotations: whether each one needs a
 * session ({@code @RolesAllowed} on the method, or on the class without {@code @PermitAll} on the method). The
 * truth that the OpenAPI document's security requirements are checked against.
 */
final class ResourceOperations {

    private ResourceOperations() {
    }

    /** "METHOD /api/v1/path/{param}" to whether the operation needs a session. */
    static Map<String, Boolean> needsSession() {
        String base = FlowlineApplication.class.getAnnotation(ApplicationPath.class).value();
        Map<String, Boolean> operations = new TreeMap<>();
        for (JavaClass javaClass : new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.flowline")) {
            if (!javaClass.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = javaClass.reflect();
            String classPath = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String path = join(base, classPath, methodPath == null ? "" : methodPath.value());
                operations.put(httpMethod + " " + path, guarded(resource, method));
            }
        }
        return operations;
    }

    private static boolean guarded(Class<?> resource, Method method) {
        if (method.isAnnotationPresent(PermitAll.class)) {
            return false;
        }
        return method.isAnnotationPresent(RolesAllowed.class) || resource.isAnnotationPresent(RolesAllowed.class);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (httpMethod != null) {
                return httpMethod.value();
            }
        }
        return null;
    }

    /** Joins path segments with single slashes, without a trailing one, and drops template regexes. */
    private static String join(String... parts) {
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            for (String segment : part.split("/")) {
                if (!segment.isBlank()) {
                    path.append('/').append(segment.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}"));
                }
            }
        }
        return path.toString();
    }
}
