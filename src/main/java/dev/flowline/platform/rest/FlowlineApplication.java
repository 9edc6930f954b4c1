package dev.flowline.platform.rest;

import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST API, under {@code /api/v1}. Resources and providers are discovered by scanning. */
@ApplicationPath("/api/v1")
@DeclareRoles({Roles.USER})
@OpenAPIDefinition(
        info = @Info(title = "Flowline API", version = "v1",
                description = "Multi-tenant workflow automation. Errors are RFC 9457 application/problem+json."),
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = "session",
                type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "Opaque session token from POST /api/v1/auth/login (also sent as the flowline_session cookie).")))
public class FlowlineApplication extends Application {
}
