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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@link UserOAuthTokenRepository} and {@link WorkspaceConnectionRepository} in memory, for unit tests of the
 * connection services and as a CDI alternative in an Arquillian archive: the same rules as the SQL (personal means no
 * workspace, one share per workspace and token). {@link #secretReads()} counts every ciphertext handed out to be
 * decrypted, so a test can assert that a refused use read none.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryTokens implements UserOAuthTokenRepository, WorkspaceConnectionRepository {

    private final AtomicInteger secretReads = new AtomicInteger();

    final Map<UUID, StoredToken> stored = new ConcurrentHashMap<>();
    final Map<UUID, Connection> shown = new ConcurrentHashMap<>();
    final Map<UUID, SharedConnection> shares = new ConcurrentHashMap<>();

    /** A row as the callback would store it, or workspace-scoped when {@code workspaceId} is set. */
    public void put(StoredToken token, String accountEmail) {
        stored.put(token.id(), token);
        shown.put(token.id(), new Connection(token.id(), token.ownerUserId(), token.provider(), accountEmail, "",
                token.expiresAt(), false, token.needsReauthorization(), null, null, null, Instant.EPOCH));
    }

    @Override
    public Optional<UUID> lockPersonalForAccount(UUID ownerId, String provider, String accountEmail) {
        return shown.values().stream().filter(c -> c.ownerUserId().equals(ownerId) && c.provider().equals(provider)
                        && stored.get(c.id()).workspaceId() == null
                        && String.valueOf(c.accountEmail()).equalsIgnoreCase(String.valueOf(accountEmail)))
                .map(Connection::id).findFirst();
    }

    @Override
    public boolean insertPersonal(NewUserOAuthToken t, Instant now) {
        put(new StoredToken(t.id(), t.ownerUserId(), t.provider(), null, t.accessTokenEnc(), t.refreshTokenEnc(),
                t.expiresAt(), false), t.accountEmail());
        return true;
    }

    @Override
    public boolean replacePersonal(NewUserOAuthToken t, Instant now) {
        return insertPersonal(t, now);
    }

    @Override
    public List<Connection> listPersonal(UUID ownerId) {
        return shown.values().stream().filter(c -> c.ownerUserId().equals(ownerId)
                && stored.get(c.id()).workspaceId() == null).sorted(Comparator.comparing(Connection::id)).toList();
    }

    @Override
    public Optional<Connection> findPersonal(UUID tokenId, UUID ownerId) {
        return listPersonal(ownerId).stream().filter(c -> c.id().equals(tokenId)).findFirst();
    }

    /** Ciphertexts read for decryption since the last {@link #reset()}. */
    public int secretReads() {
        return secretReads.get();
    }

    public void reset() {
        stored.clear();
        shown.clear();
        shares.clear();
        secretReads.set(0);
    }

    @Override
    public Optional<StoredToken> findStored(UUID tokenId) {
        Optional<StoredToken> found = Optional.ofNullable(stored.get(tokenId));
        found.ifPresent(token -> secretReads.incrementAndGet());
        return found;
    }

    @Override
    public Optional<StoredToken> lockStored(UUID tokenId) {
        return findStored(tokenId);
    }

    @Override
    public boolean deletePersonal(UUID tokenId, UUID ownerId) {
        if (findPersonal(tokenId, ownerId).isEmpty()) {
            return false;
        }
        stored.remove(tokenId);
        shown.remove(tokenId);
        shares.values().removeIf(s -> s.tokenId().equals(tokenId));
        return true;
    }

    @Override
    public void updateTokens(UUID tokenId, String accessTokenEnc, String refreshTokenEnc, Instant expiresAt,
                             String scopes, Instant now) {
        StoredToken t = stored.get(tokenId);
        stored.put(tokenId, new StoredToken(t.id(), t.ownerUserId(), t.provider(), t.workspaceId(), accessTokenEnc,
                refreshTokenEnc, expiresAt, false));
    }

    @Override
    public void markNeedsReauthorization(UUID tokenId, String error, Instant now) {
        StoredToken t = stored.get(tokenId);
        stored.put(tokenId, new StoredToken(t.id(), t.ownerUserId(), t.provider(), t.workspaceId(),
                t.accessTokenEnc(), t.refreshTokenEnc(), t.expiresAt(), true));
    }

    @Override
    public void recordError(UUID tokenId, String error, Instant now) {
    }

    @Override
    public List<UUID> findExpiring(Instant before, int limit) {
        return stored.values().stream().filter(t -> t.expiresBefore(before) && t.refreshTokenEnc() != null
                && !t.needsReauthorization()).map(StoredToken::id).limit(limit).toList();
    }

    @Override
    public List<StoredToken> lockNotUnderKey(String primaryKeyId, int limit) {
        String prefix = "v1:" + primaryKeyId + ":";
        return stored.values().stream().filter(t -> !t.accessTokenEnc().startsWith(prefix)
                || (t.refreshTokenEnc() != null && !t.refreshTokenEnc().startsWith(prefix))).limit(limit).toList();
    }

    @Override
    public void updateCiphertexts(UUID tokenId, String accessTokenEnc, String refreshTokenEnc) {
        StoredToken t = stored.get(tokenId);
        stored.put(tokenId, new StoredToken(t.id(), t.ownerUserId(), t.provider(), t.workspaceId(), accessTokenEnc,
                refreshTokenEnc, t.expiresAt(), t.needsReauthorization()));
    }

    @Override
    public void recomputeShared(UUID ownerId) {
        shown.replaceAll((id, c) -> !c.ownerUserId().equals(ownerId) ? c : new Connection(c.id(), c.ownerUserId(),
                c.provider(), c.accountEmail(), c.scopes(), c.expiresAt(),
                shares.values().stream().anyMatch(s -> s.tokenId().equals(id)), c.needsReauthorization(),
                c.lastError(), c.lastErrorAt(), c.refreshedAt(), c.createdAt()));
    }

    @Override
    public Optional<SharedConnection> create(UUID workspaceId, UUID ownerId, UUID tokenId, String name, Instant now) {
        Optional<Connection> token = findPersonal(tokenId, ownerId);
        if (token.isEmpty() || shares.values().stream()
                .anyMatch(s -> s.workspaceId().equals(workspaceId) && s.tokenId().equals(tokenId))) {
            return Optional.empty();
        }
        SharedConnection shared = new SharedConnection(UUID.randomUUID(), workspaceId, ownerId, tokenId,
                token.get().provider(), name, token.get().accountEmail(), false, now);
        shares.put(shared.id(), shared);
        recomputeShared(ownerId);
        return Optional.of(shared);
    }

    @Override
    public List<SharedConnection> listByWorkspace(UUID workspaceId) {
        return shares.values().stream().filter(s -> s.workspaceId().equals(workspaceId)).toList();
    }

    @Override
    public List<SharedConnection> listByWorkspaceCreator(UUID workspaceId, UUID userId) {
        return listByWorkspace(workspaceId).stream().filter(s -> s.ownerUserId().equals(userId)).toList();
    }

    @Override
    public Optional<SharedConnection> findInWorkspace(UUID workspaceId, UUID connectionId) {
        return Optional.ofNullable(shares.get(connectionId)).filter(s -> s.workspaceId().equals(workspaceId));
    }

    @Override
    public boolean deleteById(UUID connectionId) {
        return shares.remove(connectionId) != null;
    }

    @Override
    public int deleteByWorkspaceAndOwner(UUID workspaceId, UUID ownerId) {
        List<UUID> gone = new ArrayList<>(listByWorkspaceCreator(workspaceId, ownerId).stream()
                .map(SharedConnection::id).toList());
        gone.forEach(shares::remove);
        return gone.size();
    }

    @Override
    public Set<UUID> deleteByWorkspace(UUID workspaceId) {
        Set<UUID> owners = listByWorkspace(workspaceId).stream().map(SharedConnection::ownerUserId)
                .collect(Collectors.toSet());
        shares.values().removeIf(s -> s.workspaceId().equals(workspaceId));
        return owners;
    }
}
