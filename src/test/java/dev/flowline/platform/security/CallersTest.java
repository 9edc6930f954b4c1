package dev.flowline.platform.security;

import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CallersTest {

    @Test
    void aCallerIsSignedInOnlyWhenItsPrincipalIsNamedByAUserId() {
        UUID user = UUID.randomUUID();
        Principal signedIn = user::toString;
        Principal elytronAnonymous = () -> "anonymous";

        assertThat(Callers.userId(signedIn)).contains(user);
        assertThat(Callers.userId(elytronAnonymous)).isEmpty();
        assertThat(Callers.userId(null)).isEmpty();
    }
}
