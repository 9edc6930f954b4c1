package dev.flowline.platform.rest;

import dev.flowline.platform.security.Roles;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The REST API, under {@code /api/v1}. Resources and providers are discovered by scanning. */
@ApplicationPath("/api/v1")
@DeclareRoles({Roles.USER})
@OpenAPIDefinition(
        info = @Info(title = "Flowline API", version = "v1",
                description = "Multi-tenant workflow automation. Errors are RFC 9457 application/problem+json."),
        // one description per tag here; resources only name their tag (ApiContract keeps one entry per name)
        tags = {
                @Tag(name = "Authentication", description = "Sign up, verify the email address, log in and out, reset a forgotten password"),
                @Tag(name = "Me", description = "The signed-in user's profile, settings and password"),
                @Tag(name = "Workspaces", description = "Workspaces, their members and roles, usage against the plan"),
                @Tag(name = "Invitations", description = "Invitations to join a workspace: sent, listed, accepted, declined"),
                @Tag(name = "Billing", description = "Plans bought through Stripe: checkout, the customer portal, the billing overview and Stripe's signed webhooks"),
                @Tag(name = "Connections", description = "OAuth accounts users connect (tokens encrypted, never shown), share into workspaces and use from workflows' HTTP nodes"),
                @Tag(name = "Runs", description = "Runs of workflows: start, list, inspect steps, cancel, rerun"),
                @Tag(name = "Dead letters", description = "Runs that failed for good: list, requeue, discard"),
                @Tag(name = "Schedules", description = "Cron schedules that start a workflow's runs"),
                @Tag(name = "Webhooks", description = "A workflow's webhook: its URL and secret, deliveries, and the signed endpoint that starts runs"),
                @Tag(name = "Support", description = "Issue reports to the operators"),
                @Tag(name = "Operators", description = "Operations for the service's operators only")
        },
        components = @Components(securitySchemes = {
                @SecurityScheme(securitySchemeName = ApiContract.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
                        description = "Opaque session token from POST /api/v1/auth/login."),
                @SecurityScheme(securitySchemeName = ApiContract.COOKIE, type = SecuritySchemeType.APIKEY,
                        in = SecuritySchemeIn.COOKIE, apiKeyName = "flowline_session",
                        description = "The same session token, as the cookie that login sets.")}))
public class FlowlineApplication extends Application {
}
