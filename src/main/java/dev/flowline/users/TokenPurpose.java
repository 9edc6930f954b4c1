package dev.flowline.users;

/** What a single-use emailed token proves. Stored in {@code user_tokens.purpose}. */
public enum TokenPurpose {
    EMAIL_VERIFICATION("email_verification"),
    PASSWORD_RESET("password_reset");

    private final String column;

    TokenPurpose(String column) {
        this.column = column;
    }

    /** The value stored in the database. */
    public String column() {
        return column;
    }
}
