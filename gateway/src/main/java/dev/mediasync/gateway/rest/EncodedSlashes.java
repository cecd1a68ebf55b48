package dev.mediasync.gateway.rest;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A content id may hold {@code /} ({@code show/s01/e02}): in a path it is sent encoded as {@code %2F},
 * which Tomcat refuses by default (400). Passed through, Spring matches it inside one path segment and
 * decodes it into the id, so {@code /api/v1/sync/progress/show%2Fs01%2Fe02} names that title.
 */
@Configuration(proxyBeanMethods = false)
public class EncodedSlashes {

    @Bean
    public TomcatConnectorCustomizer encodedSlashesInPathSegments() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
