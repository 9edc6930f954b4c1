package dev.flowline.platform.rest;

/** The User-Agent header as stored: blank is absent, and it is cut to {@value #MAX_LENGTH} characters. */
public final class UserAgents {

    public static final int MAX_LENGTH = 512;

    private UserAgents() {
    }

    public static String clip(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        return header.length() <= MAX_LENGTH ? header : header.substring(0, MAX_LENGTH);
    }
}
