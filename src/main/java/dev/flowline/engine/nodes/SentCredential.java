package dev.flowline.engine.nodes;

import dev.flowline.connections.CredentialOrigins;

import java.util.Map;
import java.util.Objects;

/**
 * What the HTTP node attaches on behalf of a connection or a credential, and where it may go: {@code headers} and
 * {@code queryParameters} are added only to a request (or redirect hop) whose origin {@code origins} allows.
 *
 * @param name    how a failure names it, e.g. {@code "connection 0b1c..."}; never a value
 * @param setting where its origins are set, for the failure message, e.g. {@code "flowline.oauth.google.api-origins"}
 */
public record SentCredential(String name, String setting, Map<String, String> headers,
                             Map<String, String> queryParameters, CredentialOrigins origins) {

    public SentCredential {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(setting, "setting");
        headers = Map.copyOf(headers);
        queryParameters = Map.copyOf(queryParameters);
        Objects.requireNonNull(origins, "origins");
    }

    /** Never the values: an instance may end up in a log line. */
    @Override
    public String toString() {
        return "SentCredential[" + name + ", headers=" + headers.keySet() + ", query=" + queryParameters.keySet()
                + ", origins=" + origins + "]";
    }
}
