package dev.flowline.workspaces;

import dev.flowline.users.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The operators of this installation: accounts whose verified email is listed in {@code flowline.operators}
 * (comma-separated). Verification matters: anyone can sign up with an address.
 */
@ApplicationScoped
public class Operators {

    // A plain string: Payara 6.2025.10 fails to inject Optional<List<String>> (ClassCastException).
    @Inject
    @ConfigProperty(name = "flowline.operators")
    Optional<String> operatorEmails;

    @Inject
    UserRepository users;

    public boolean isOperator(UUID userId) {
        List<String> emails = Arrays.stream(operatorEmails.orElse("").split(","))
                .map(email -> email.trim().toLowerCase(Locale.ROOT)).filter(email -> !email.isEmpty()).toList();
        return users.findById(userId)
                .filter(user -> user.emailVerified())
                .map(user -> emails.contains(user.email().toLowerCase(Locale.ROOT)))
                .orElse(false);
    }
}
