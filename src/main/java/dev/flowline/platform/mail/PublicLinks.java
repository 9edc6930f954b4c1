package dev.flowline.platform.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Links into the front end (for emails, and where the API sends browsers back), under {@code flowline.public-base-url}. */
@ApplicationScoped
public class PublicLinks {

    @Inject
    @ConfigProperty(name = "flowline.public-base-url", defaultValue = "http://localhost:8080")
    String publicBaseUrl;

    /** {@code <base>/<page>?token=<token>}. */
    public String withToken(String page, String token) {
        return page(page) + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** {@code <base>/<page>}, whether or not the configured base ends with a slash. */
    public String page(String page) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        return base + "/" + page;
    }
}
