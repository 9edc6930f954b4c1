package dev.flowline.connections.jpa;

import dev.flowline.connections.Connection;
import dev.flowline.connections.SharedConnection;
import dev.flowline.connections.StoredToken;
import dev.flowline.platform.persistence.SqlTimestamps;

import java.util.UUID;

/** The column lists of this area's native statements and the records their rows become. */
final class TokenRows {

    static final String CONNECTION_COLUMNS = "t.id, t.owner_user_id, t.provider, t.account_email, t.scopes,"
            + " t.expires_at, t.is_shared, t.needs_reauthorization, t.last_error, t.last_error_at, t.refreshed_at,"
            + " t.created_at";
    static final String STORED_COLUMNS = "t.id, t.owner_user_id, t.provider, t.workspace_id, t.access_token_enc,"
            + " t.refresh_token_enc, t.expires_at, t.needs_reauthorization";
    static final String SHARED_COLUMNS = "c.id, c.workspace_id, c.owner_user_id, c.user_oauth_token_id, c.provider,"
            + " c.name, t.account_email, t.needs_reauthorization, c.created_at";

    private TokenRows() {
    }

    static Connection connection(Object row) {
        Object[] r = (Object[]) row;
        return new Connection((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (String) r[4],
                SqlTimestamps.toInstant(r[5]), (Boolean) r[6], (Boolean) r[7], (String) r[8],
                SqlTimestamps.toInstant(r[9]), SqlTimestamps.toInstant(r[10]), SqlTimestamps.toInstant(r[11]));
    }

    static StoredToken stored(Object row) {
        Object[] r = (Object[]) row;
        return new StoredToken((UUID) r[0], (UUID) r[1], (String) r[2], (UUID) r[3], (String) r[4], (String) r[5],
                SqlTimestamps.toInstant(r[6]), (Boolean) r[7]);
    }

    static SharedConnection shared(Object row) {
        Object[] r = (Object[]) row;
        return new SharedConnection((UUID) r[0], (UUID) r[1], (UUID) r[2], (UUID) r[3], (String) r[4], (String) r[5],
                (String) r[6], (Boolean) r[7], SqlTimestamps.toInstant(r[8]));
    }
}
