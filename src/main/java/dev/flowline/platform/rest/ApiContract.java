package dev.flowline.platform.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.servers.Server;
import org.eclipse.microprofile.openapi.models.tags.Tag;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the scanned OpenAPI document a contract a client generator and a linter accept, in one place rather than on
 * every resource: enums typed as strings, the cookie as an alternative to every bearer requirement, {@code
 * security: []} on public operations, a problem+json 4xx on every operation, one entry per tag, server URLs without a
 * trailing slash and without Payara's non-standard {@code endpoints} property. Ids and times are typed by the
 * {@code mp.openapi.schema.*} keys of microprofile-config.properties; typed pages, success answers, parameters and
 * required request properties come from the resource methods ({@link OperationTypes}).
 * <p>
 * {@code mp.openapi.filter} takes one class: an area that documents more extends this one and calls {@code super}.
 * <p>
 * The schema model changed in MicroProfile OpenAPI 4 (OpenAPI 3.1: a list of types, no {@code nullable}). This filter
 * is written against 3.x, Payara's; on a server with 4.x (WildFly) the document is the kept contract itself
 * ({@link ContractDocument}, not a scan), and this filter only tidies tags and server URLs, which changes nothing there.
 */
public class ApiContract implements OASFilter {

    /** The security scheme of {@code Authorization: Bearer <session token>}. */
    public static final String BEARER = "bearerAuth";
    /** The security scheme of the session cookie, the alternative to {@link #BEARER}. */
    public static final String COOKIE = "sessionCookie";
    static final String PROBLEM = "Problem";
    /** MicroProfile OpenAPI 3.x, the schema model this filter is written against (4.x dropped {@code nullable}). */
    static final boolean SCHEMA_MODEL_3 = hasMethod(Schema.class, "getNullable");

    private static boolean hasMethod(Class<?> type, String name) {
        try {
            type.getMethod(name);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public Schema filterSchema(Schema schema) {
        if (!SCHEMA_MODEL_3) {
            return schema;
        }
        dropAnnotationDefaults(schema);
        if (schema.getEnumeration() != null && !schema.getEnumeration().isEmpty() && schema.getType() == null) {
            schema.setType(Schema.SchemaType.STRING);
        }
        return schema;
    }

    /**
     * Payara writes every attribute of a {@code @Schema} in a {@code @Content}, defaults included, and its default
     * {@code maxProperties: 0} says "no property allowed": drop the values that mean nothing.
     */
    private static void dropAnnotationDefaults(Schema schema) {
        if (Integer.valueOf(0).equals(schema.getMaxProperties())) {
            schema.setMaxProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinProperties())) {
            schema.setMinProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinLength())) {
            schema.setMinLength(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMaximum())) {
            schema.setExclusiveMaximum(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMinimum())) {
            schema.setExclusiveMinimum(null);
        }
        if (Boolean.FALSE.equals(schema.getUniqueItems())) {
            schema.setUniqueItems(null);
        }
        if (Boolean.FALSE.equals(schema.getNullable())) {
            schema.setNullable(null);
        }
        if (Boolean.FALSE.equals(schema.getReadOnly())) {
            schema.setReadOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getWriteOnly())) {
            schema.setWriteOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getDeprecated())) {
            schema.setDeprecated(null);
        }
    }

    /** Called from {@link #filterOpenAPI}, after Payara's own filtering of the operation's parts. */
    private static void contract(Operation operation) {
        boolean needsSession = operation.getSecurity() != null && operation.getSecurity().stream()
                .anyMatch(requirement -> requirement.hasScheme(BEARER));
        if (needsSession) {
            operation.setSecurity(new ArrayList<>(List.of(
                    OASFactory.createSecurityRequirement().addScheme(BEARER),
                    OASFactory.createSecurityRequirement().addScheme(COOKIE))));
        } else {
            // explicit, so that a reader (and a generator) knows the operation takes no session; an empty
            // requirement, because Payara does not write an empty list
            operation.setSecurity(new ArrayList<>(List.of(OASFactory.createSecurityRequirement())));
        }
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        if (needsSession && !responses.hasAPIResponse("401")) {
            responses.addAPIResponse("401", OASFactory.createAPIResponse().description("No session, or an expired one"));
        }
        if (responses.getAPIResponses() == null || responses.getAPIResponses().keySet().stream().noneMatch(ApiContract::clientError)) {
            responses.addAPIResponse("400", OASFactory.createAPIResponse().description("Invalid input"));
        }
        responses.getAPIResponses().forEach((code, response) -> {
            if (clientError(code) && response.getRef() == null && (response.getContent() == null
                    || response.getContent().getMediaTypes() == null || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(problemContent());
            }
        });
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (SCHEMA_MODEL_3) {
            Components components = openAPI.getComponents();
            if (components == null) {
                components = OASFactory.createComponents();
                openAPI.setComponents(components);
            }
            components.addSchema(PROBLEM, problemSchema());
            new OperationTypes(openAPI, components).apply();
            if (components.getSchemas() != null) {
                components.getSchemas().values().forEach(ApiContract::anyJsonMembers);
            }
            if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
                openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(ApiContract::contract));
            }
        }
        if (openAPI.getServers() != null) {
            for (Server server : openAPI.getServers()) {
                if (server.getUrl() != null && server.getUrl().length() > 1 && server.getUrl().endsWith("/")) {
                    server.setUrl(server.getUrl().substring(0, server.getUrl().length() - 1));
                }
            }
        }
        if (openAPI.getTags() != null) {
            openAPI.setTags(oneEntryPerTag(openAPI.getTags()));
        }
        dropPayaraEndpoints(openAPI);
    }

    /** A JSON-P {@code JsonObject} is scanned as a map of objects; its members are any JSON value. */
    private static void anyJsonMembers(Schema schema) {
        Schema members = schema.getAdditionalPropertiesSchema();
        if (members != null && members.getType() == Schema.SchemaType.OBJECT && members.getRef() == null
                && (members.getProperties() == null || members.getProperties().isEmpty())) {
            schema.setAdditionalPropertiesSchema(null);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(ApiContract::anyJsonMembers);
        }
        if (schema.getItems() != null) {
            anyJsonMembers(schema.getItems());
        }
    }

    /** Each resource's {@code @Tag} adds an entry: keep one per name, the one with a description. */
    private static List<Tag> oneEntryPerTag(List<Tag> tags) {
        Map<String, Tag> byName = new LinkedHashMap<>();
        for (Tag tag : tags) {
            Tag kept = byName.get(tag.getName());
            if (kept == null || (kept.getDescription() == null && tag.getDescription() != null)) {
                byName.put(tag.getName(), tag);
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** Payara adds a map of paths by context root, which is not OpenAPI: linters flag it, generators may trip. */
    private static void dropPayaraEndpoints(OpenAPI openAPI) {
        try {
            openAPI.getClass().getMethod("setEndpoints", Map.class).invoke(openAPI, new LinkedHashMap<>());
        } catch (NoSuchMethodException e) {
            // another implementation: nothing to remove
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot remove the non-standard endpoints property", e);
        }
    }

    private static boolean clientError(String code) {
        return code.startsWith("4");
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)));
    }

    /** The shape of {@link Problem}, written out because the scanner only sees types that resources return. */
    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().type(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema().type(Schema.SchemaType.OBJECT)
                .addProperty("field", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                        .description("The field's path in the body as the client wrote it (retryPolicy.backoff,"
                                + " ids[2]; 'body' for the body as a whole), or the name of a query, path or header"
                                + " parameter"))
                .addProperty("message", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                        .description("What is wrong and what is accepted, e.g. 'must be one of ADMIN, MEMBER, VIEWER'"))
                .required(List.of("field", "message"));
        return OASFactory.createSchema().type(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", OASFactory.createSchema().type(Schema.SchemaType.STRING).format("uri"))
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().type(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("instance", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("errors", OASFactory.createSchema().type(Schema.SchemaType.ARRAY).items(fieldError))
                .addProperty("requestId", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                        .description("The request's id, as in the X-Request-Id response header; quote it to the operators"))
                .required(List.of("type", "title", "status"));
    }
}
