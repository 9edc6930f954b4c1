package dev.flowline.users;

/** What signup stores. The email keeps the case the user typed; uniqueness ignores case. */
public record NewUser(String email, String name, String passwordHash) {
}
