package dev.flowline.connections;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link UserCredentialRepository} and {@link WorkspaceCredentialRepository} in memory, with the rules of the SQL
 * (owner in every statement, one share per workspace and credential, shares go with their credential). For unit
 * tests, and as a CDI alternative in an Arquillian archive. {@link #secretReads()} counts every ciphertext handed
 * out to be decrypted ({@link #findStored}, {@link #lockNotUnderKey}): a test asserts that a refused use read none.
 * (A counter method, not a public field: CDI refuses public fields on an application-scoped bean.)
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryCredentials implements UserCredentialRepository, WorkspaceCredentialRepository {

    private final AtomicInteger secretReads = new AtomicInteger();

    final Map<UUID, Row> rows = new ConcurrentHashMap<>();
    final Map<UUID, SharedCredential> shares = new ConcurrentHashMap<>();

    record Row(NewCredential credential, long version, Instant createdAt, Instant updatedAt) {
    }

    /** Ciphertexts read for decryption since the last {@link #reset()}. */
    public int secretReads() {
        return secretReads.get();
    }

    public void reset() {
        rows.clear();
        shares.clear();
        secretReads.set(0);
    }

    /** The stored ciphertext, as a test looks at it in the row (not counted as a read). */
    public String ciphertext(UUID credentialId) {
        return rows.get(credentialId).credential().secretEnc();
    }

    @Override
    public synchronized boolean insert(NewCredential credential, int maxPerOwner, Instant now) {
        if (rows.values().stream().filter(r -> r.credential().ownerUserId().equals(credential.ownerUserId())).count()
                >= maxPerOwner) {
            return false;
        }
        rows.put(credential.id(), new Row(credential, 0, now, now));
        return true;
    }

    @Override
    public List<Credential> listByOwner(UUID ownerId) {
        return rows.values().stream().filter(r -> r.credential().ownerUserId().equals(ownerId))
                .sorted(Comparator.comparing(Row::createdAt).thenComparing(r -> r.credential().id()))
                .map(this::shown).toList();
    }

    @Override
    public Optional<Credential> findByOwner(UUID credentialId, UUID ownerId) {
        return Optional.ofNullable(rows.get(credentialId)).filter(r -> r.credential().ownerUserId().equals(ownerId))
                .map(this::shown);
    }

    @Override
    public synchronized Optional<Credential> update(UUID credentialId, UUID ownerId, String name,
                                                   CredentialOrigins origins, CredentialShape shape, String secretEnc,
                                                   Long expectedVersion, Instant now) {
        Row row = rows.get(credentialId);
        if (row == null || !row.credential().ownerUserId().equals(ownerId)
                || (expectedVersion != null && expectedVersion != row.version())) {
            return Optional.empty();
        }
        NewCredential c = row.credential();
        rows.put(credentialId, new Row(new NewCredential(c.id(), c.ownerUserId(), name == null ? c.name() : name,
                c.kind(), origins == null ? c.origins() : origins, shape == null ? c.shape() : shape,
                secretEnc == null ? c.secretEnc() : secretEnc), row.version() + 1, row.createdAt(), now));
        return findByOwner(credentialId, ownerId);
    }

    @Override
    public boolean delete(UUID credentialId, UUID ownerId) {
        if (findByOwner(credentialId, ownerId).isEmpty()) {
            return false;
        }
        rows.remove(credentialId);
        shares.values().removeIf(s -> s.credentialId().equals(credentialId));
        return true;
    }

    @Override
    public Optional<StoredCredential> findStored(UUID credentialId, UUID ownerId) {
        Optional<StoredCredential> found = Optional.ofNullable(rows.get(credentialId))
                .filter(r -> r.credential().ownerUserId().equals(ownerId)).map(InMemoryCredentials::stored);
        found.ifPresent(stored -> secretReads.incrementAndGet());
        return found;
    }

    @Override
    public List<StoredCredential> lockNotUnderKey(String primaryKeyId, int limit) {
        String prefix = "v1:" + primaryKeyId + ":";
        List<StoredCredential> stale = rows.values().stream()
                .filter(r -> !r.credential().secretEnc().startsWith(prefix)).limit(limit)
                .map(InMemoryCredentials::stored).toList();
        secretReads.addAndGet(stale.size());
        return stale;
    }

    @Override
    public void updateCiphertext(UUID credentialId, String secretEnc) {
        rows.computeIfPresent(credentialId, (id, r) -> new Row(new NewCredential(id, r.credential().ownerUserId(),
                r.credential().name(), r.credential().kind(), r.credential().origins(), r.credential().shape(),
                secretEnc), r.version(), r.createdAt(), r.updatedAt()));
    }

    @Override
    public synchronized Optional<SharedCredential> create(UUID workspaceId, UUID ownerId, UUID credentialId,
                                                          String name, Instant now) {
        Optional<Credential> credential = findByOwner(credentialId, ownerId);
        if (credential.isEmpty() || shares.values().stream()
                .anyMatch(s -> s.workspaceId().equals(workspaceId) && s.credentialId().equals(credentialId))) {
            return Optional.empty();
        }
        SharedCredential shared = new SharedCredential(UUID.randomUUID(), workspaceId, ownerId, credentialId, name,
                credential.get().kind(), credential.get().origins(), credential.get().shape(), now);
        shares.put(shared.id(), shared);
        return Optional.of(shared);
    }

    @Override
    public List<SharedCredential> listByWorkspace(UUID workspaceId) {
        return shares.values().stream().filter(s -> s.workspaceId().equals(workspaceId))
                .map(this::current).sorted(Comparator.comparing(SharedCredential::createdAt)).toList();
    }

    @Override
    public List<SharedCredential> listByWorkspaceCreator(UUID workspaceId, UUID userId) {
        return listByWorkspace(workspaceId).stream().filter(s -> s.ownerUserId().equals(userId)).toList();
    }

    @Override
    public Optional<SharedCredential> findInWorkspace(UUID workspaceId, UUID sharedId) {
        return Optional.ofNullable(shares.get(sharedId)).filter(s -> s.workspaceId().equals(workspaceId))
                .map(this::current);
    }

    @Override
    public boolean deleteById(UUID sharedId) {
        return shares.remove(sharedId) != null;
    }

    @Override
    public int deleteByWorkspaceAndOwner(UUID workspaceId, UUID ownerId) {
        List<UUID> gone = new ArrayList<>(listByWorkspaceCreator(workspaceId, ownerId).stream()
                .map(SharedCredential::id).toList());
        gone.forEach(shares::remove);
        return gone.size();
    }

    @Override
    public int deleteByWorkspace(UUID workspaceId) {
        List<UUID> gone = listByWorkspace(workspaceId).stream().map(SharedCredential::id).toList();
        gone.forEach(shares::remove);
        return gone.size();
    }

    private Credential shown(Row row) {
        NewCredential c = row.credential();
        return new Credential(c.id(), c.ownerUserId(), c.name(), c.kind(), c.origins(), c.shape(),
                shares.values().stream().anyMatch(s -> s.credentialId().equals(c.id())), row.version(),
                row.createdAt(), row.updatedAt());
    }

    /** A share as the SQL joins it: with the credential's current kind, origins and shape. */
    private SharedCredential current(SharedCredential s) {
        NewCredential c = rows.get(s.credentialId()).credential();
        return new SharedCredential(s.id(), s.workspaceId(), s.ownerUserId(), s.credentialId(), s.name(), c.kind(),
                c.origins(), c.shape(), s.createdAt());
    }

    private static StoredCredential stored(Row row) {
        NewCredential c = row.credential();
        return new StoredCredential(c.id(), c.ownerUserId(), c.kind(), c.origins(), c.secretEnc());
    }
}
