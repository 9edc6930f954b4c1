package dev.flowline.platform.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flowline.testing.ApiClient.Answer;
import dev.flowline.testing.ApiOverHttp;
import dev.flowline.testing.Deployments;
import dev.flowline.testing.TestServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The served {@code /openapi} is a contract: a real OpenAPI parser accepts it without a message, operation ids are
 * unique, every property has a type, ids and times are strings with their format, and every operation that
 * {@code @RolesAllowed} guards names a security scheme. A copy is kept in {@code src/test/resources/openapi.json} so
 * that every API change shows in review as a diff; the served document must equal it.
 */
class OpenApiContractIT extends ApiOverHttp {

    /** The kept copy, relative to the project folder (failsafe's working directory). */
    static final Path KEPT = Path.of("src/test/resources/openapi.json");
    /** Set to {@code true} to rewrite {@link #KEPT} from the served document. */
    static final String REWRITE = "openapi.rewrite";
    static final String REGENERATE = "mvn -B -o verify -Dit.test=OpenApiContractIT -Dtest=none"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + REWRITE + "=true";

    /** Named like ids or times but not ones, with the reason. */
    private static final Map<String, String> NOT_IDS_OR_TIMES = Map.of(
            "webhookDeliveryId", "the sender's own X-Flowline-Delivery value, any text",
            "nodeId", "a node's name inside a workflow definition",
            "stripeSessionId", "a Stripe Checkout Session id (cs_...)",
            "stripeSubscriptionId", "a Stripe subscription id (sub_...)",
            "stripeEventId", "a Stripe event id (evt_...)",
            "lastNodeId", "a node's name inside a workflow definition",
            "deliveryId", "the sender's own X-Flowline-Delivery value, any text",
            "requestId", "the client's X-Request-Id (a short token) or a generated UUID",
            "webhookId", "a webhook's public id, an opaque token");
    private static final Set<String> OTHER_TIMES = Set.of("scheduledFor");

    private String served;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.shared(Deployments.withoutBackgroundJobs(Deployments.product()));
    }

    @BeforeEach
    void fetchTheDocument() throws IOException {
        Answer document = api.send(HttpRequest.newBuilder(
                        URI.create(deploymentUrl.toString()).resolve("/openapi"))
                .header("Accept", "application/json").GET().build());
        assertThat(document.status()).as(document.toString()).isEqualTo(200);
        served = document.body();
        // for `redocly lint` and other tools by hand
        Files.writeString(Path.of("target/openapi-served.json"), served);
        if (TestServer.isWildFly()) {
            served = withoutWildFlysEmptyObjects(served);
        }
    }

    /**
     * WildFly serves every deployment's document through a host-level composition that always adds {@code
     * externalDocs}, {@code info.contact} and {@code info.license}, empty when the document has none (Flowline's has
     * none): the deployment cannot remove them. Generators ignore empty objects; a strict parser asks for the
     * license's name and the URL. Removed here, only when empty and only on WildFly; all else must be equal.
     */
    static String withoutWildFlysEmptyObjects(String json) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode tree = (ObjectNode) mapper.readTree(json);
        if (tree.path("externalDocs").isEmpty()) {
            tree.remove("externalDocs");
        }
        if (tree.get("info") instanceof ObjectNode info) {
            for (String empty : List.of("contact", "license")) {
                if (info.has(empty) && info.get(empty).isEmpty()) {
                    info.remove(empty);
                }
            }
        }
        return mapper.writeValueAsString(tree);
    }

    @Test
    void aRealParserAcceptsTheDocumentWithoutAMessage() {
        SwaggerParseResult result = parse(served);

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void operationIdsAreUniqueAndPresent() {
        List<String> ids = operations(parse(served).getOpenAPI()).values().stream()
                .map(Operation::getOperationId).toList();

        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void everyPropertyHasATypeAndIdsAndTimesAreStringsWithTheirFormat() {
        OpenAPI document = parse(served).getOpenAPI();
        List<String> problems = new ArrayList<>();
        document.getComponents().getSchemas().forEach((name, schema) ->
                checkProperties(document, name, schema, problems));

        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationThatNeedsASessionNamesASecurityScheme() {
        Map<String, Operation> documented = operations(parse(served).getOpenAPI());
        Map<String, Boolean> needsSession = ResourceOperations.needsSession();

        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(needsSession.keySet());
        needsSession.forEach((operation, guarded) -> {
            List<SecurityRequirement> security = documented.get(operation).getSecurity();
            boolean namesAScheme = security != null && security.stream().anyMatch(requirement -> !requirement.isEmpty());
            assertThat(namesAScheme).as(operation + " security " + security).isEqualTo(guarded);
            assertThat(security).as(operation + ": public operations say so with an empty requirement")
                    .isNotNull();
        });
    }

    /**
     * What a client generator needs to type its methods: every 200 and 201 answer has a schema, every list its own
     * page type (no untyped {@code Page}), and every path, query and header parameter a scalar type (a UUID path
     * parameter is a string with format uuid, not an object).
     */
    @Test
    void everySuccessAnswerHasASchemaAndEveryParameterAScalarType() {
        OpenAPI document = parse(served).getOpenAPI();
        List<String> problems = new ArrayList<>();
        operations(document).forEach((name, operation) -> {
            operation.getResponses().forEach((code, response) -> {
                if (code.equals("200") || code.equals("201")) {
                    MediaType json = response.getContent() == null ? null : response.getContent().get("application/json");
                    if (json == null || json.getSchema() == null) {
                        problems.add(name + " " + code + " has no application/json schema");
                    } else if (String.valueOf(json.getSchema().get$ref()).endsWith("/Page")) {
                        problems.add(name + " " + code + " is an untyped Page");
                    }
                }
            });
            if (operation.getResponses().containsKey("default")) {
                problems.add(name + " answers 'default' instead of its success status");
            }
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> {
                    Schema<?> schema = parameter.getSchema() == null ? null : resolve(document, parameter.getSchema());
                    if (schema == null || schema.getType() == null || "object".equals(schema.getType())) {
                        problems.add(name + " parameter " + parameter.getName() + " is not a scalar");
                    } else if ((parameter.getName().endsWith("Id") || parameter.getName().equals("id"))
                            && !NOT_IDS_OR_TIMES.containsKey(parameter.getName())) {
                        expectString(name + " parameter " + parameter.getName(), schema, "uuid", problems);
                    }
                });
            }
        });
        assertThat(document.getComponents().getSchemas()).doesNotContainKey("Page");

        assertThat(problems).isEmpty();
    }

    @Test
    void theServedDocumentEqualsTheKeptCopy() throws IOException {
        String canonical = canonical(served);
        if (Boolean.getBoolean(REWRITE)) {
            Files.writeString(KEPT, canonical);
            System.out.println("OpenApiContractIT: rewrote " + KEPT.toAbsolutePath());
        }
        String kept = Files.exists(KEPT) ? Files.readString(KEPT) : "";

        if (!canonical.equals(kept)) {
            fail("The served OpenAPI document differs from " + KEPT + ". If the change is intended, regenerate it with"
                    + "\n  " + REGENERATE + "\nand commit the diff. The served document: target/openapi-served.json");
        }
    }

    /**
     * Pretty-printed with keys sorted at every level, without {@code servers} (the URL names the test server's random
     * port), ending in a newline.
     */
    static String canonical(String json) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        ObjectNode tree = (ObjectNode) mapper.readTree(json);
        tree.remove("servers");
        Object plain = mapper.treeToValue(tree, Object.class);
        return mapper.writeValueAsString(plain) + "\n";
    }

    private static SwaggerParseResult parse(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertThat(result.getOpenAPI()).as(String.valueOf(result.getMessages())).isNotNull();
        return result;
    }

    /** Every operation as "METHOD /path". */
    private static Map<String, Operation> operations(OpenAPI document) {
        Map<String, Operation> operations = new TreeMap<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operations.put(method.name() + " " + path, operation)));
        return operations;
    }

    @SuppressWarnings("rawtypes")
    private static void checkProperties(OpenAPI document, String owner, Schema<?> schema, List<String> problems) {
        if (schema.getProperties() == null) {
            return;
        }
        Map<String, Schema> properties = schema.getProperties();
        properties.forEach((name, property) -> {
            String where = owner + "." + name;
            Schema<?> resolved = resolve(document, property);
            if (resolved.getType() == null && resolved.getTypes() == null) {
                problems.add(where + " has no type");
            }
            if (NOT_IDS_OR_TIMES.containsKey(name)) {
                return;
            }
            if (name.equals("id") || name.endsWith("Id")) {
                expectString(where, resolved, "uuid", problems);
            } else if (name.endsWith("At") || OTHER_TIMES.contains(name)) {
                expectString(where, resolved, "date-time", problems);
            }
            if ("array".equals(resolved.getType()) && resolved.getItems() != null) {
                checkProperties(document, where + "[]", resolve(document, resolved.getItems()), problems);
            } else if (property.get$ref() == null) {
                checkProperties(document, where, resolved, problems);
            }
        });
    }

    private static void expectString(String where, Schema<?> schema, String format, List<String> problems) {
        if (!"string".equals(schema.getType()) || !format.equals(schema.getFormat())) {
            problems.add(where + " is " + schema.getType() + "/" + schema.getFormat() + ", not string/" + format);
        }
    }

    /** Follows a local {@code #/components/schemas/...} reference. */
    private static Schema<?> resolve(OpenAPI document, Schema<?> schema) {
        if (schema.get$ref() == null) {
            return schema;
        }
        String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
        Schema<?> target = document.getComponents().getSchemas().get(name);
        assertThat(target).as("unresolved " + schema.get$ref()).isNotNull();
        return target;
    }

}
