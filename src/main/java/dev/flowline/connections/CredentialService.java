package dev.flowline.connections;

import dev.flowline.connections.ConnectionErrors.CredentialNotFoundException;
import dev.flowline.connections.ConnectionErrors.StaleCredentialException;
import dev.flowline.connections.ConnectionErrors.TooManyCredentialsException;
import dev.flowline.platform.errors.FieldError;
import dev.flowline.platform.errors.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * A user's own credentials that are not OAuth (API keys, bearer tokens, basic auth, a few headers): created,
 * listed, changed and deleted by their owner only. The secret is write-only: encrypted as it arrives, replaced whole,
 * never shown again. Every credential names the origins it may be sent to (at least one).
 */
@ApplicationScoped
@Transactional
public class CredentialService {

    /** Credentials per user: enough for any real use, and a bound on what one account stores. */
    public static final int MAX_PER_USER = 100;

    @Inject
    UserCredentialRepository credentials;

    @Inject
    CredentialCipher cipher;

    @Inject
    Event<ConnectionActivity> activity;

    @Inject
    Clock clock;

    /** A new credential; {@code kind} is its wire name. */
    public Credential create(UUID userId, String name, String kind, List<String> origins, CredentialFields fields) {
        CredentialKind parsedKind = CredentialKind.fromWire(kind).orElseThrow(() -> new InvalidInputException(
                "kind must be one of " + CredentialKind.wireNames() + ".",
                new FieldError("kind", "must be one of " + CredentialKind.wireNames())));
        CredentialOrigins parsedOrigins = origins(origins);
        CredentialSecret secret = CredentialSecret.of(parsedKind, fields, "secret");
        UUID id = UUID.randomUUID();
        NewCredential credential = new NewCredential(id, userId, name(name), parsedKind, parsedOrigins,
                secret.shape(), cipher.seal(id, userId, parsedKind, secret));
        if (!credentials.insert(credential, MAX_PER_USER, clock.instant())) {
            throw new TooManyCredentialsException(MAX_PER_USER);
        }
        Credential created = credentials.findByOwner(id, userId).orElseThrow();
        activity.fire(ConnectionActivity.credentialCreated(userId, created));
        return created;
    }

    public List<Credential> listMine(UUID userId) {
        return credentials.listByOwner(userId);
    }

    public Credential get(UUID userId, UUID credentialId) {
        return credentials.findByOwner(credentialId, userId).orElseThrow(CredentialNotFoundException::new);
    }

    /**
     * Changes the name, the origins or the secret (null: unchanged; at least one given). A secret is of the
     * credential's kind and replaces the stored one whole. With {@code expectedVersion} (If-Match), 412 when the
     * credential changed since.
     */
    public Credential update(UUID userId, UUID credentialId, String name, List<String> origins,
                             CredentialFields fields, Long expectedVersion) {
        if (name == null && origins == null && fields == null) {
            throw new InvalidInputException("Give the name, the origins or the secret to change.",
                    new FieldError("name", "name, origins or secret must be given"));
        }
        Credential current = get(userId, credentialId);
        CredentialOrigins parsedOrigins = origins == null ? null : origins(origins);
        CredentialShape shape = null;
        String secretEnc = null;
        if (fields != null) {
            CredentialSecret secret = CredentialSecret.of(current.kind(), fields, "secret");
            shape = secret.shape();
            secretEnc = cipher.seal(credentialId, userId, current.kind(), secret);
        }
        Credential updated = credentials.update(credentialId, userId, name == null ? null : name(name), parsedOrigins,
                        shape, secretEnc, expectedVersion, clock.instant())
                .orElseThrow(() -> credentials.findByOwner(credentialId, userId).isPresent()
                        ? new StaleCredentialException() : new CredentialNotFoundException());
        activity.fire(ConnectionActivity.credentialUpdated(userId, current, updated, fields != null));
        return updated;
    }

    /** Deletes the credential and every share of it. */
    public void delete(UUID userId, UUID credentialId) {
        Credential credential = get(userId, credentialId);
        if (!credentials.delete(credentialId, userId)) {
            throw new CredentialNotFoundException();
        }
        activity.fire(ConnectionActivity.credentialDeleted(userId, credential));
    }

    static String name(String name) {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw new InvalidInputException("A credential's name holds 1 to 200 characters.",
                    new FieldError("name", "must hold 1 to 200 characters, not only blanks"));
        }
        return name.strip();
    }

    /** Parses the origins, naming the entry that is not one ({@code origins[2]}); at least one is required. */
    static CredentialOrigins origins(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new InvalidInputException("A credential names at least one origin it may be sent to.",
                    new FieldError("origins", "must hold at least one origin (https://api.example.com)"));
        }
        if (entries.size() > CredentialOrigins.MAX_ENTRIES) {
            throw new InvalidInputException("A credential names at most " + CredentialOrigins.MAX_ENTRIES + " origins.",
                    new FieldError("origins", "must hold at most " + CredentialOrigins.MAX_ENTRIES + " origins"));
        }
        for (int i = 0; i < entries.size(); i++) {
            try {
                CredentialOrigins.parse(List.of(String.valueOf(entries.get(i))));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("origins[" + i + "] is not an origin.",
                        new FieldError("origins[" + i + "]", e.getMessage()));
            }
        }
        return CredentialOrigins.parse(entries);
    }
}
