package dev.flowline.users;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * {@link UserRepository} in memory, for resource and service tests without a database. Every method is
 * synchronized, which gives the same atomicity the PostgreSQL statements give. Counts {@code updatePlan} calls so
 * billing tests can assert that a checkout alone never changes a plan.
 */
@Alternative
@Priority(1000)
@ApplicationScoped
public class InMemoryUserRepository implements UserRepository {

    private record Token(UUID userId, TokenPurpose purpose, Instant createdAt, Instant expiresAt, boolean consumed) {
    }

    private final Map<UUID, User> users = new HashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final AtomicInteger updatePlanCalls = new AtomicInteger();

    public int updatePlanCalls() {
        return updatePlanCalls.get();
    }

    @Override
    public synchronized Optional<User> create(NewUser user, Instant now) {
        if (findByEmail(user.email()).isPresent()) {
            return Optional.empty();
        }
        User created = new User(UUID.randomUUID(), user.email(), user.name(), user.passwordHash(), null,
                AccountPlan.FREE, null, Json.createObjectBuilder().build(), now, now);
        users.put(created.id(), created);
        return Optional.of(created);
    }

    @Override
    public synchronized Optional<User> findById(UUID userId) {
        return Optional.ofNullable(users.get(userId));
    }

    @Override
    public synchronized Optional<User> findByEmail(String email) {
        String wanted = email.toLowerCase(Locale.ROOT);
        return users.values().stream().filter(u -> u.email().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    @Override
    public synchronized boolean markEmailVerified(UUID userId, Instant at) {
        User user = users.get(userId);
        if (user == null || user.emailVerified()) {
            return false;
        }
        users.put(userId, copy(user).emailVerifiedAt(at).updatedAt(at).build());
        return true;
    }

    @Override
    public synchronized void setPasswordHash(UUID userId, String passwordHash, Instant now) {
        update(userId, b -> b.passwordHash(passwordHash).updatedAt(now));
    }

    @Override
    public synchronized void updateName(UUID userId, String name, Instant now) {
        update(userId, b -> b.name(name).updatedAt(now));
    }

    @Override
    public synchronized void storeToken(UUID userId, TokenPurpose purpose, String tokenHash, Instant createdAt,
                                        Instant expiresAt) {
        tokens.replaceAll((hash, t) -> t.userId().equals(userId) && t.purpose() == purpose
                ? new Token(t.userId(), t.purpose(), t.createdAt(), t.expiresAt(), true) : t);
        tokens.put(tokenHash, new Token(userId, purpose, createdAt, expiresAt, false));
    }

    @Override
    public synchronized Optional<Instant> lastTokenIssuedAt(UUID userId, TokenPurpose purpose) {
        return tokens.values().stream().filter(t -> t.userId().equals(userId) && t.purpose() == purpose)
                .map(Token::createdAt).max(Instant::compareTo);
    }

    @Override
    public synchronized Optional<UUID> consumeToken(TokenPurpose purpose, String tokenHash, Instant now) {
        Token token = tokens.get(tokenHash);
        if (token == null || token.consumed() || token.purpose() != purpose || !token.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        tokens.put(tokenHash, new Token(token.userId(), purpose, token.createdAt(), token.expiresAt(), true));
        return Optional.of(token.userId());
    }

    @Override
    public synchronized boolean consumeTokenOf(UUID userId, TokenPurpose purpose, String tokenHash, Instant now) {
        Token token = tokens.get(tokenHash);
        return token != null && token.userId().equals(userId) && consumeToken(purpose, tokenHash, now).isPresent();
    }

    @Override
    public synchronized Optional<JsonObject> getSettings(UUID userId) {
        return findById(userId).map(User::settings);
    }

    @Override
    public synchronized Optional<JsonObject> updateSettings(UUID userId, UnaryOperator<JsonObject> change, Instant now) {
        User user = users.get(userId);
        if (user == null) {
            return Optional.empty();
        }
        JsonObject settings = change.apply(user.settings());
        users.put(userId, copy(user).settings(settings).updatedAt(now).build());
        return Optional.of(settings);
    }

    @Override
    public synchronized void updatePlan(UUID userId, AccountPlan plan) {
        updatePlanCalls.incrementAndGet();
        update(userId, b -> b.plan(plan));
    }

    @Override
    public synchronized Optional<String> getStripeCustomerId(UUID userId) {
        return findById(userId).map(User::stripeCustomerId);
    }

    @Override
    public synchronized String setStripeCustomerId(UUID userId, String stripeCustomerId) {
        User user = findById(userId).orElseThrow(() -> new IllegalArgumentException("No user " + userId));
        if (user.stripeCustomerId() != null) {
            return user.stripeCustomerId();
        }
        users.put(userId, copy(user).stripeCustomerId(stripeCustomerId).build());
        return stripeCustomerId;
    }

    @Override
    public synchronized Optional<UUID> findUserIdByStripeCustomerId(String stripeCustomerId) {
        return users.values().stream().filter(u -> stripeCustomerId.equals(u.stripeCustomerId())).map(User::id).findFirst();
    }

    @Override
    public synchronized void recordPendingCheckout(UUID userId, String checkoutSessionId, Instant at) {
        update(userId, b -> b.settings(withBilling(b.settings, billing -> billing.add("pending_checkout",
                Json.createObjectBuilder().add("session_id", checkoutSessionId).add("created_at", at.toString())))));
    }

    @Override
    public synchronized boolean clearPendingCheckout(UUID userId, String lastError, Instant at) {
        if (!users.containsKey(userId)) {
            return false;
        }
        update(userId, b -> b.settings(withBilling(b.settings, billing -> billing.remove("pending_checkout")
                .add("last_error", lastError).add("last_error_at", at.toString()))));
        return true;
    }

    private static JsonObject withBilling(JsonObject settings, UnaryOperator<JsonObjectBuilder> change) {
        JsonObject billing = settings.containsKey("billing") ? settings.getJsonObject("billing") : JsonObject.EMPTY_JSON_OBJECT;
        return Json.createObjectBuilder(settings).add("billing", change.apply(Json.createObjectBuilder(billing))).build();
    }

    private void update(UUID userId, UnaryOperator<Builder> change) {
        User user = users.get(userId);
        if (user != null) {
            users.put(userId, change.apply(copy(user)).build());
        }
    }

    private static Builder copy(User u) {
        return new Builder(u);
    }

    /** Mutable copy of a {@link User} record, for the updates above. */
    private static final class Builder {
        private final User original;
        private String name;
        private String passwordHash;
        private Instant emailVerifiedAt;
        private AccountPlan plan;
        private String stripeCustomerId;
        private JsonObject settings;
        private Instant updatedAt;

        Builder(User u) {
            original = u;
            name = u.name();
            passwordHash = u.passwordHash();
            emailVerifiedAt = u.emailVerifiedAt();
            plan = u.plan();
            stripeCustomerId = u.stripeCustomerId();
            settings = u.settings();
            updatedAt = u.updatedAt();
        }

        Builder name(String v) { name = v; return this; }
        Builder passwordHash(String v) { passwordHash = v; return this; }
        Builder emailVerifiedAt(Instant v) { emailVerifiedAt = v; return this; }
        Builder plan(AccountPlan v) { plan = v; return this; }
        Builder stripeCustomerId(String v) { stripeCustomerId = v; return this; }
        Builder settings(JsonObject v) { settings = v; return this; }
        Builder updatedAt(Instant v) { updatedAt = v; return this; }

        User build() {
            return new User(original.id(), original.email(), name, passwordHash, emailVerifiedAt, plan,
                    stripeCustomerId, settings, original.createdAt(), updatedAt);
        }
    }
}
