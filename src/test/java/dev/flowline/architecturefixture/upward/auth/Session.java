package dev.flowline.architecturefixture.upward.auth;

public class Session {
}
