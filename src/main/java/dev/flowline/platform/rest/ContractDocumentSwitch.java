package dev.flowline.platform.rest;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * On a server with MicroProfile OpenAPI 4 (WildFly), serves the kept contract ({@link ContractDocument}) instead of
 * the server's scan; on MicroProfile OpenAPI 3 (Payara) says nothing, so the scan and {@link ApiContract} make the
 * document there. Its ordinal is above microprofile-config.properties (which says nothing of these keys) and below
 * system properties and the environment. Registered in META-INF/services.
 */
public class ContractDocumentSwitch implements ConfigSource {

    static final int ORDINAL = 150;

    private static final boolean OPENAPI_4 = openApi4();

    private final Map<String, String> values = !OPENAPI_4 ? Map.of() : Map.of(
            "mp.openapi.scan.disable", "true",
            "mp.openapi.model.reader", ContractDocument.class.getName());

    /** MicroProfile OpenAPI 4 dropped {@code Schema.getNullable}; no OpenAPI at all leaves the scan alone too. */
    private static boolean openApi4() {
        try {
            Class.forName("org.eclipse.microprofile.openapi.models.media.Schema", false,
                    ContractDocumentSwitch.class.getClassLoader()).getMethod("getNullable");
            return false;
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "Flowline OpenAPI contract (MicroProfile OpenAPI " + (OPENAPI_4 ? "4" : "3") + ")";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
