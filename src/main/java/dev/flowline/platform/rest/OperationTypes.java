package dev.flowline.platform.rest;

import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.pagination.Page;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What the scanner cannot see, taken from the resource methods themselves (found by their {@code operationId}):
 * <ul>
 *   <li>pages typed by their items: {@code Page<RunResponse>} is {@code RunResponsePage}
 *       ({@code items: RunResponse[]}, {@code nextCursor}), not one {@code Page} of untyped objects;</li>
 *   <li>the success response of a method that returns a body directly is {@code 200} with its schema, not an
 *       untyped {@code default};</li>
 *   <li>path, query and header parameters typed by their Java type (a {@code UUID} path parameter is a string with
 *       format {@code uuid}, an enum lists its values);</li>
 *   <li>request bodies mark their required properties and carry their limits ({@code @NotNull}, {@code @NotBlank},
 *       {@code @Size}, {@code @Min}, {@code @Max}, {@code @Email}), since the Bean Validation scan is off.</li>
 * </ul>
 * Schemas of types the scanner never saw (items only reachable through a page) are written here from the record.
 */
final class OperationTypes {

    private static final String JSON = "application/json";
    private static final String ROOT = "dev/flowline/";

    private final OpenAPI openAPI;
    private final Components components;
    private final Set<Class<?>> constrained = new HashSet<>();

    OperationTypes(OpenAPI openAPI, Components components) {
        this.openAPI = openAPI;
        this.components = components;
    }

    void apply() {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        Map<String, Method> methods = resourceMethods();
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            Method method = methods.get(operation.getOperationId());
            if (method != null) {
                typeParameters(operation, method);
                typeResponse(operation, method);
                declaredBody(operation, method);
                constrainBody(operation, method);
            }
        }));
        boolean pageUsed = openAPI.getPaths().getPathItems().values().stream()
                .flatMap(item -> item.getOperations().values().stream())
                .anyMatch(operation -> String.valueOf(operation.getResponses() == null ? null
                        : operation.getResponses().getAPIResponses()).contains("schemas/Page"));
        if (!pageUsed && components.getSchemas() != null && components.getSchemas().containsKey("Page")) {
            components.removeSchema("Page");
        }
    }

    // ---- responses

    private void typeResponse(Operation operation, Method method) {
        APIResponses responses = operation.getResponses();
        Type returned = method.getGenericReturnType();
        if (responses == null || returned == void.class) {
            return;
        }
        Map<String, APIResponse> all = responses.getAPIResponses() == null ? Map.of() : responses.getAPIResponses();
        boolean hasSuccess = all.keySet().stream().anyMatch(code -> code.startsWith("2"));
        if (!hasSuccess && all.containsKey("default")) {
            // the scanner's "default" (no success status documented) is the 200 of Response.ok or a returned body;
            // as "default" it would say "any other status"
            APIResponse success = all.get("default");
            responses.removeAPIResponse("default");
            if (success.getDescription() == null || success.getDescription().startsWith("Default Response")) {
                success.setDescription("OK");
            }
            responses.addAPIResponse("200", success);
        } else if (!hasSuccess && returned != Response.class) {
            responses.addAPIResponse("200", OASFactory.createAPIResponse().description("OK"));
        }
        declaredSchemas(responses, method);
        if (returned == Response.class) {
            return; // its success answers are documented on the method (@APIResponse with content)
        }
        Schema schema = raw(returned) == Page.class ? pageOf(argument(returned, 0)) : schemaOf(returned);
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("2") && !code.equals("204") && response.getRef() == null) {
                Content content = response.getContent();
                MediaType json = content == null || content.getMediaTypes() == null ? null : content.getMediaType(JSON);
                if (json == null || json.getSchema() == null || refersTo(json.getSchema(), "Page")
                        || raw(returned) == Page.class) {
                    response.setContent(OASFactory.createContent().addMediaType(JSON,
                            OASFactory.createMediaType().schema(schema)));
                }
            }
        });
    }

    /**
     * The schemas a method declares ({@code @APIResponse(content = @Content(schema = @Schema(implementation = X)))})
     * as references to X's component: the scanner copies X inline, and generators then name the copy after the
     * operation ({@code StartRun201Response}) instead of reusing X.
     */
    private void declaredSchemas(APIResponses responses, Method method) {
        for (org.eclipse.microprofile.openapi.annotations.responses.APIResponse declared : method.getAnnotationsByType(
                org.eclipse.microprofile.openapi.annotations.responses.APIResponse.class)) {
            APIResponse response = responses.getAPIResponse(declared.responseCode());
            if (response == null || response.getContent() == null || response.getContent().getMediaTypes() == null) {
                continue;
            }
            for (org.eclipse.microprofile.openapi.annotations.media.Content content : declared.content()) {
                Class<?> type = content.schema().implementation();
                MediaType media = response.getContent().getMediaType(content.mediaType().isEmpty() ? JSON : content.mediaType());
                if (type != Void.class && media != null && (type.isRecord() || type.isEnum())) {
                    media.setSchema(schemaOf(type));
                }
            }
        }
    }

    /** A request body declared with {@code @RequestBody(content = ... implementation = X)}, as a reference to X. */
    private void declaredBody(Operation operation, Method method) {
        for (java.lang.reflect.Parameter parameter : method.getParameters()) {
            org.eclipse.microprofile.openapi.annotations.parameters.RequestBody declared = parameter.getAnnotation(
                    org.eclipse.microprofile.openapi.annotations.parameters.RequestBody.class);
            if (declared == null || operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
                continue;
            }
            for (org.eclipse.microprofile.openapi.annotations.media.Content content : declared.content()) {
                Class<?> type = content.schema().implementation();
                MediaType media = operation.getRequestBody().getContent()
                        .getMediaType(content.mediaType().isEmpty() ? JSON : content.mediaType());
                if (type != Void.class && media != null && type.isRecord()) {
                    media.setSchema(schemaOf(type));
                }
                if (media != null && media.getExamples() != null) {
                    media.getExamples().values().forEach(example -> {
                        if (example.getValue() instanceof String text) {
                            example.setValue(plain(text));
                        }
                    });
                }
            }
        }
    }

    /**
     * An example written as JSON text in an annotation, as the structure it stands for: the scanner keeps it a
     * string, which says the body is a JSON string. Text that is not JSON stays as it is.
     */
    private static Object plain(String text) {
        try (JsonReader reader = Jsons.createReader(new StringReader(text))) {
            return plain(reader.readValue());
        } catch (JsonException | IllegalStateException notJson) {
            return text;
        }
    }

    private static Object plain(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> {
                Map<String, Object> object = new java.util.LinkedHashMap<>();
                value.asJsonObject().forEach((key, member) -> object.put(key, plain(member)));
                yield object;
            }
            case ARRAY -> value.asJsonArray().stream().map(OperationTypes::plain).toList();
            case STRING -> ((jakarta.json.JsonString) value).getString();
            case NUMBER -> ((jakarta.json.JsonNumber) value).bigDecimalValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
        };
    }

    private static boolean refersTo(Schema schema, String name) {
        return schema.getRef() != null && schema.getRef().endsWith("/" + name);
    }

    /** {@code <Item>Page}: the items of one type and the cursor of the next page. */
    private Schema pageOf(Type item) {
        String name = simpleName(raw(item)) + "Page";
        if (!hasSchema(name)) {
            components.addSchema(name, OASFactory.createSchema().type(Schema.SchemaType.OBJECT)
                    .description("One page of a list, oldest or newest first as the operation says; pass nextCursor"
                            + " as cursor for the next page")
                    .addProperty("items", OASFactory.createSchema().type(Schema.SchemaType.ARRAY).items(schemaOf(item)))
                    .addProperty("nextCursor", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                            .description("Absent on the last page"))
                    .required(new ArrayList<>(List.of("items"))));
        }
        return ref(name);
    }

    // ---- parameters

    private void typeParameters(Operation operation, Method method) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            Class<?> type = javaParameter(method, parameter);
            if (type == null || type == String.class) {
                continue;
            }
            Schema schema = parameter.getSchema();
            if (schema == null || schema.getRef() != null || schema.getType() == null
                    || schema.getType() == Schema.SchemaType.OBJECT) {
                parameter.setSchema(inline(type));
            }
        }
    }

    private static Class<?> javaParameter(Method method, Parameter parameter) {
        for (java.lang.reflect.Parameter javaParameter : method.getParameters()) {
            for (Annotation annotation : javaParameter.getAnnotations()) {
                String name = annotation instanceof PathParam p && parameter.getIn() == Parameter.In.PATH ? p.value()
                        : annotation instanceof QueryParam q && parameter.getIn() == Parameter.In.QUERY ? q.value()
                        : annotation instanceof HeaderParam h && parameter.getIn() == Parameter.In.HEADER ? h.value()
                        : null;
                if (name != null && name.equalsIgnoreCase(parameter.getName())) {
                    return javaParameter.getType();
                }
            }
        }
        return null;
    }

    // ---- request bodies

    private void constrainBody(Operation operation, Method method) {
        if (operation.getRequestBody() == null) {
            return;
        }
        for (java.lang.reflect.Parameter parameter : method.getParameters()) {
            if (parameter.getType().isRecord() && Arrays.stream(parameter.getAnnotations()).noneMatch(a ->
                    a instanceof PathParam || a instanceof QueryParam || a instanceof HeaderParam)) {
                constrain(parameter.getType());
                if (parameter.isAnnotationPresent(NotNull.class)) {
                    operation.getRequestBody().setRequired(true);
                }
            }
        }
    }

    /** Marks the required properties of a request record's schema and its limits; then its nested records. */
    private void constrain(Class<?> record) {
        if (!constrained.add(record) || !hasSchema(simpleName(record))) {
            return;
        }
        Schema schema = components.getSchemas().get(simpleName(record));
        List<String> required = new ArrayList<>(schema.getRequired() == null ? List.of() : schema.getRequired());
        for (RecordComponent component : record.getRecordComponents()) {
            // Bean Validation annotations do not target record components: they land on the field
            AnnotatedElement annotated = field(record, component);
            if (annotated == null) {
                continue;
            }
            if (annotated.isAnnotationPresent(NotNull.class) || annotated.isAnnotationPresent(NotBlank.class)
                    || annotated.isAnnotationPresent(NotEmpty.class)) {
                if (!required.contains(component.getName())) {
                    required.add(component.getName());
                }
            }
            Schema property = schema.getProperties() == null ? null : schema.getProperties().get(component.getName());
            if (property != null && property.getRef() == null) {
                limits(annotated, property);
                mapValues(component, property);
            }
            if (annotated.isAnnotationPresent(Valid.class) && component.getType().isRecord()) {
                constrain(component.getType());
            }
        }
        schema.setRequired(required.isEmpty() ? null : required);
    }

    /**
     * A {@code Map<String, V>} property's values typed by V: Payara's scanner sometimes writes such a map as a bare
     * object (seen when unrelated classes were added to the WAR), which would let any value through the contract.
     */
    private void mapValues(RecordComponent component, Schema property) {
        Type type = component.getGenericType();
        if (Map.class.isAssignableFrom(raw(type)) && property.getAdditionalPropertiesSchema() == null
                && property.getAdditionalPropertiesBoolean() == null) {
            Class<?> values = raw(argument(type, 1));
            if (values != Object.class && values != JsonValue.class && values != JsonObject.class) {
                property.setAdditionalPropertiesSchema(schemaOf(argument(type, 1)));
            }
        }
    }

    private static java.lang.reflect.Field field(Class<?> record, RecordComponent component) {
        try {
            return record.getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static void limits(AnnotatedElement annotated, Schema property) {
        Size size = annotated.getAnnotation(Size.class);
        if (size != null) {
            boolean array = property.getType() == Schema.SchemaType.ARRAY;
            if (size.min() > 0) {
                if (array) {
                    property.setMinItems(size.min());
                } else {
                    property.setMinLength(size.min());
                }
            }
            if (size.max() < Integer.MAX_VALUE) {
                if (array) {
                    property.setMaxItems(size.max());
                } else {
                    property.setMaxLength(size.max());
                }
            }
        }
        if (annotated.isAnnotationPresent(NotBlank.class) && property.getMinLength() == null) {
            property.setMinLength(1);
        }
        Min min = annotated.getAnnotation(Min.class);
        if (min != null) {
            property.setMinimum(BigDecimal.valueOf(min.value()));
        }
        Max max = annotated.getAnnotation(Max.class);
        if (max != null) {
            property.setMaximum(BigDecimal.valueOf(max.value()));
        }
        if (annotated.isAnnotationPresent(Email.class)) {
            property.setFormat("email");
        }
    }

    // ---- schemas from Java types

    /** A reference to the component of a record or enum (written here when the scanner did not), else inline. */
    private Schema schemaOf(Type type) {
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            String name = simpleName(raw);
            if (!hasSchema(name)) {
                Schema record = OASFactory.createSchema().type(Schema.SchemaType.OBJECT);
                components.addSchema(name, record);
                List<String> required = new ArrayList<>();
                for (RecordComponent component : raw.getRecordComponents()) {
                    record.addProperty(component.getName(), schemaOf(component.getGenericType()));
                    if (component.getType().isPrimitive()) {
                        required.add(component.getName());
                    }
                }
                if (!required.isEmpty()) {
                    record.setRequired(required);
                }
            }
            return ref(name);
        }
        if (raw.isEnum()) {
            String name = simpleName(raw);
            if (!hasSchema(name)) {
                components.addSchema(name, inline(raw));
            }
            return ref(name);
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            return OASFactory.createSchema().type(Schema.SchemaType.ARRAY)
                    .items(schemaOf(raw.isArray() ? raw.getComponentType() : argument(type, 0)));
        }
        if (Map.class.isAssignableFrom(raw)) {
            return OASFactory.createSchema().type(Schema.SchemaType.OBJECT)
                    .additionalPropertiesSchema(schemaOf(argument(type, 1)));
        }
        if (raw == UUID.class && hasSchema("UUID")) {
            return ref("UUID");
        }
        if (raw == Instant.class && hasSchema("Instant")) {
            return ref("Instant");
        }
        return inline(raw);
    }

    private static Schema inline(Class<?> raw) {
        Schema schema = OASFactory.createSchema();
        if (raw == String.class) {
            return schema.type(Schema.SchemaType.STRING);
        }
        if (raw == UUID.class) {
            return schema.type(Schema.SchemaType.STRING).format("uuid");
        }
        if (raw == Instant.class) {
            return schema.type(Schema.SchemaType.STRING).format("date-time");
        }
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
            return schema.type(Schema.SchemaType.INTEGER).format("int32");
        }
        if (raw == Long.class || raw == long.class) {
            return schema.type(Schema.SchemaType.INTEGER).format("int64");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return schema.type(Schema.SchemaType.BOOLEAN);
        }
        if (Number.class.isAssignableFrom(raw) || raw == double.class || raw == float.class) {
            return schema.type(Schema.SchemaType.NUMBER);
        }
        if (raw.isEnum()) {
            List<Object> values = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return schema.type(Schema.SchemaType.STRING).enumeration(values);
        }
        if (raw == JsonArray.class) {
            return schema.type(Schema.SchemaType.ARRAY).items(OASFactory.createSchema());
        }
        if (raw == JsonObject.class || raw == JsonValue.class) {
            return schema.type(Schema.SchemaType.OBJECT);
        }
        return schema.type(Schema.SchemaType.OBJECT);
    }

    private boolean hasSchema(String name) {
        return components.getSchemas() != null && components.getSchemas().containsKey(name);
    }

    private static Schema ref(String name) {
        return OASFactory.createSchema().ref(name);
    }

    /** The scanner's name for a type: its simple name ({@code RunResponse.Step} is {@code Step}). */
    private static String simpleName(Class<?> type) {
        return type.getSimpleName();
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        return Object.class;
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    // ---- the resource methods

    /** Every resource method with an {@code operationId}, by it; classes named {@code *Resource} under dev.flowline. */
    static Map<String, Method> resourceMethods() {
        Map<String, Method> methods = new TreeMap<>();
        ClassLoader loader = OperationTypes.class.getClassLoader();
        for (String name : resourceClassNames(loader)) {
            Class<?> resource;
            try {
                resource = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            if (!resource.isAnnotationPresent(Path.class)) {
                continue;
            }
            for (Method method : resource.getMethods()) {
                org.eclipse.microprofile.openapi.annotations.Operation operation =
                        method.getAnnotation(org.eclipse.microprofile.openapi.annotations.Operation.class);
                if (operation != null && !operation.operationId().isEmpty()) {
                    methods.put(operation.operationId(), method);
                }
            }
        }
        return methods;
    }

    private static List<String> resourceClassNames(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = loader.getResources(ROOT);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    java.nio.file.Path base = Paths.get(root.toURI());
                    try (Stream<java.nio.file.Path> files = Files.walk(base)) {
                        files.map(f -> base.relativize(f).toString().replace('\\', '/'))
                                .filter(OperationTypes::isResourceClass)
                                .forEach(f -> names.add(className(ROOT + f)));
                    }
                } else if (root.openConnection() instanceof JarURLConnection jar) {
                    jar.setUseCaches(false); // a cached JarFile is shared with the class loader: never close that one
                    try (JarFile file = jar.getJarFile()) {
                        file.stream().map(JarEntry::getName).filter(n -> n.startsWith(ROOT))
                                .filter(OperationTypes::isResourceClass).forEach(n -> names.add(className(n)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static boolean isResourceClass(String path) {
        return path.endsWith("Resource.class") && !path.contains("$");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
