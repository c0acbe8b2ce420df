package dev.guildhall.server.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}), generated from the
 * controllers. This adds what the annotations do not say: the two ways to authenticate, and the
 * problem documents each operation can answer with.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI guildhallOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Guildhall API")
                        .version("v1")
                        .description("Runs, workflows and agents of your workspace. Errors are RFC 9457 problem"
                                + " documents with a stable type (https://guildhall.dev/problems/...).")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT from POST /api/v1/auth/login"))
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return api -> api.getPaths().forEach((path, item) -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> e :
                    item.readOperationsMap().entrySet()) {
                Operation op = e.getValue();
                boolean login = path.equals("/api/v1/auth/login");
                add(op, "400", "Invalid input: the problem names the field (type validation or malformed-request)");
                if (login) {
                    op.setSecurity(java.util.List.of());
                    add(op, "401", "Wrong username, password or workspace (type invalid-credentials)");
                    continue;
                }
                add(op, "401", "No, bad, expired or revoked credentials (type unauthenticated)");
                add(op, "403", "The role or key lacks the scope (type forbidden)");
                PathItem.HttpMethod method = e.getKey();
                boolean write = method == PathItem.HttpMethod.POST
                        || method == PathItem.HttpMethod.PUT
                        || method == PathItem.HttpMethod.PATCH
                        || method == PathItem.HttpMethod.DELETE;
                if (path.contains("{") || method == PathItem.HttpMethod.POST) {
                    add(op, "404", "Not found in your workspace (type not-found)");
                }
                if (write) {
                    add(op, "409", "The resource's state forbids it (type conflict)");
                }
                if (op.getRequestBody() != null) {
                    add(op, "413", "The body is over the size limit (type payload-too-large)");
                    add(
                            op,
                            "415",
                            "The body's media type is not one the operation takes (type unsupported-media-type)");
                }
                if (path.equals("/api/v1/agents/validate") || path.startsWith("/api/v1/workflows") && write) {
                    add(
                            op,
                            "422",
                            "The definition breaks the rules; errors lists each with line, field and message"
                                    + " (type invalid-definition)");
                }
                add(op, "429", "Too many requests; Retry-After says when to come back (type rate-limited)");
            }
        });
    }

    private static void add(Operation op, String status, String description) {
        if (op.getResponses() == null || op.getResponses().containsKey(status)) {
            return;
        }
        op.getResponses()
                .addApiResponse(
                        status,
                        new ApiResponse()
                                .description(description)
                                .content(new Content()
                                        .addMediaType(
                                                "application/problem+json",
                                                new MediaType()
                                                        .schema(new Schema<>()
                                                                .$ref("#/components/schemas/" + PROBLEM)))));
    }

    @SuppressWarnings("rawtypes") // swagger-models' Schema is generic without a useful parameter here.
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().example("https://guildhall.dev/problems/not-found"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("field", new StringSchema().description("the offending field, for validation errors"));
    }
}
