package dev.flowline.platform.rest;

import dev.flowline.platform.json.Jsons;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.models.OpenAPI;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The API contract, as kept in {@code src/test/resources/openapi.json} and packed beside this class, as the model a
 * MicroProfile OpenAPI 4 server (WildFly) serves in place of its own scan ({@link ContractDocumentSwitch} turns the
 * scan off and names this reader there).
 * <p>
 * Why not the scan: {@link ApiContract} and {@link OperationTypes} are written against the MicroProfile OpenAPI 3
 * model (Payara's), and SmallRye's scanner names, nests and types a different document (OpenAPI 3.1, {@code
 * PageRunResponse}, {@code java.util.UUID} components, no problem responses). The kept copy is what Payara serves for
 * this very build ({@code OpenApiContractIT} fails otherwise), so both servers serve one contract: equal after key
 * order, but for the empty {@code externalDocs}, {@code info.contact} and {@code info.license} that WildFly's
 * host-level composition of deployments' documents adds.
 * <p>
 * Parsed with the server's own SmallRye parser, reached through the model factory's class loader (the deployment
 * sees only the MicroProfile API): a server without it serves its own scan, with a warning.
 */
public class ContractDocument implements OASModelReader {

    private static final Logger LOG = Logger.getLogger(ContractDocument.class.getName());
    static final String RESOURCE = "openapi.json";

    @Override
    public OpenAPI buildModel() {
        if (ContractDocument.class.getResource(RESOURCE) == null) {
            LOG.warning("OpenAPI: " + RESOURCE + " is not in the WAR; serving the server's own scan");
            return null;
        }
        try {
            ClassLoader smallRye = OASFactory.createOpenAPI().getClass().getClassLoader();
            Class<?> api = Class.forName("io.smallrye.openapi.api.SmallRyeOpenAPI", true, smallRye);
            Object builder = api.getMethod("builder").invoke(null);
            Class<?> type = builder.getClass();
            // only the document: no model reader (this one), no scan, no META-INF/openapi.*, no standard filter
            for (String off : new String[] {"enableModelReader", "enableAnnotationScan", "enableStandardStaticFiles",
                    "enableStandardFilter"}) {
                type.getMethod(off, boolean.class).invoke(builder, false);
            }
            Supplier<InputStream> document = () -> ContractDocument.class.getResourceAsStream(RESOURCE);
            type.getMethod("withCustomStaticFile", Supplier.class).invoke(builder, document);
            Object built = type.getMethod("build").invoke(builder);
            Method model = built.getClass().getMethod("model");
            OpenAPI contract = (OpenAPI) model.invoke(built);
            requiredBodies(contract);
            return contract;
        } catch (ReflectiveOperationException | LinkageError | UncheckedIOException | JsonException | ClassCastException e) {
            LOG.warning("OpenAPI: cannot read " + RESOURCE + " with this server's SmallRye (" + e
                    + "); serving the server's own scan");
            return null;
        }
    }

    /** SmallRye's parser (4.2) drops {@code requestBody.required}: put each back as the document says it. */
    private static void requiredBodies(OpenAPI contract) {
        JsonObject paths;
        try (InputStream in = ContractDocument.class.getResourceAsStream(RESOURCE);
             JsonReader reader = Jsons.createReader(in)) {
            paths = reader.readObject().getJsonObject("paths");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (paths == null || contract.getPaths() == null || contract.getPaths().getPathItems() == null) {
            return;
        }
        contract.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            JsonObject documented = paths.getJsonObject(path) == null ? null
                    : paths.getJsonObject(path).getJsonObject(method.name().toLowerCase(Locale.ROOT));
            JsonObject body = documented == null ? null : documented.getJsonObject("requestBody");
            if (body != null && operation.getRequestBody() != null && body.containsKey("required")) {
                operation.getRequestBody().setRequired(body.getBoolean("required"));
            }
        }));
    }
}
