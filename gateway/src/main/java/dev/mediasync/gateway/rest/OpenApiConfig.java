package dev.mediasync.gateway.rest;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.auth.VerifiedToken;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The REST API's OpenAPI document, generated from the controllers (springdoc): {@code /v3/api-docs},
 * browsable at {@code /swagger-ui.html}. The caller comes from the bearer token, not from a parameter.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedDevice.class, VerifiedToken.class);
    }

    @Bean
    public OpenAPI syncOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Media sync gateway").version("1")
                        .description("REST access to a user's watchlist, watch progress and devices. The WebSocket "
                                + "and the Kafka topics are described in docs/asyncapi.yaml; the rules in "
                                + "docs/protocol.md. Errors are RFC 9457 problem+json with a `code`."))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
