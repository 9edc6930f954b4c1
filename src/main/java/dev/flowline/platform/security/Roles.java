package dev.flowline.platform.security;

/** Security roles the container knows. Every signed-in caller has {@link #USER}. */
public final class Roles {

    public static final String USER = "user";

    private Roles() {
    }
}
