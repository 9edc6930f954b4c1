package dev.flowline.connections.jpa;

import dev.flowline.connections.Credential;
import dev.flowline.connections.CredentialKind;
import dev.flowline.connections.CredentialOrigins;
import dev.flowline.connections.CredentialShape;
import dev.flowline.connections.SharedCredential;
import dev.flowline.connections.StoredCredential;
import dev.flowline.platform.json.Jsons;
import dev.flowline.platform.persistence.SqlTimestamps;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

import java.io.StringReader;
import java.util.UUID;

/**
 * The column lists of the credential statements and the records their rows become. Origins are stored
 * comma-separated (normalized origins hold no comma); the shape (what may be shown of the secret) as JSON text.
 */
final class CredentialRows {

    static final String CREDENTIAL_COLUMNS = "k.id, k.owner_user_id, k.name, k.kind, k.origins, k.shape,"
            + " EXISTS (SELECT 1 FROM workspace_credentials s WHERE s.user_credential_id = k.id),"
            + " k.version, k.created_at, k.updated_at";
    static final String STORED_COLUMNS = "k.id, k.owner_user_id, k.kind, k.origins, k.secret_enc";
    static final String SHARED_COLUMNS = "s.id, s.workspace_id, s.owner_user_id, s.user_credential_id, s.name,"
            + " k.kind, k.origins, k.shape, s.created_at";
    static final String SHARED_FROM = " FROM workspace_credentials s JOIN user_credentials k"
            + " ON k.id = s.user_credential_id ";

    private CredentialRows() {
    }

    static Credential credential(Object row) {
        Object[] r = (Object[]) row;
        return new Credential((UUID) r[0], (UUID) r[1], (String) r[2], kind(r[3]), origins(r[4]), shape((String) r[5]),
                (Boolean) r[6], ((Number) r[7]).longValue(), SqlTimestamps.toInstant(r[8]),
                SqlTimestamps.toInstant(r[9]));
    }

    static StoredCredential stored(Object row) {
        Object[] r = (Object[]) row;
        return new StoredCredential((UUID) r[0], (UUID) r[1], kind(r[2]), origins(r[3]), (String) r[4]);
    }

    static SharedCredential shared(Object row) {
        Object[] r = (Object[]) row;
        return new SharedCredential((UUID) r[0], (UUID) r[1], (UUID) r[2], (UUID) r[3], (String) r[4], kind(r[5]),
                origins(r[6]), shape((String) r[7]), SqlTimestamps.toInstant(r[8]));
    }

    static String shapeText(CredentialShape shape) {
        if (shape == null) {
            return null;
        }
        JsonObjectBuilder json = Jsons.createObjectBuilder();
        if (shape.in() != null) {
            json.add("in", shape.in());
        }
        if (shape.name() != null) {
            json.add("name", shape.name());
        }
        if (shape.headerNames() != null) {
            JsonArrayBuilder names = Jsons.createArrayBuilder();
            shape.headerNames().forEach(names::add);
            json.add("headerNames", names);
        }
        return json.build().toString();
    }

    private static CredentialShape shape(String text) {
        JsonObject json;
        try (JsonReader reader = Jsons.createReader(new StringReader(text))) {
            json = reader.readObject();
        }
        return new CredentialShape(json.getString("in", null), json.getString("name", null),
                json.containsKey("headerNames") ? json.getJsonArray("headerNames").getValuesAs(JsonString.class)
                        .stream().map(JsonString::getString).toList() : null);
    }

    private static CredentialKind kind(Object wireName) {
        return CredentialKind.fromWire((String) wireName).orElseThrow(() ->
                new IllegalStateException("unknown credential kind in the database: " + wireName));
    }

    private static CredentialOrigins origins(Object text) {
        return CredentialOrigins.parseList((String) text);
    }
}
