package dev.mediasync.gateway.console;

import dev.mediasync.gateway.base.GatewayProperties;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: the console when it is on, else where a newcomer goes next. */
@RestController
public class RootController {

    private final boolean console;

    public RootController(GatewayProperties properties) {
        this.console = properties.console();
    }

    @GetMapping("/")
    public ResponseEntity<Map<String, String>> root() {
        if (console) {
            return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/console/")).build();
        }
        Map<String, String> links = new LinkedHashMap<>();
        links.put("service", "media-sync gateway");
        links.put("websocket", "/ws?device_id={device_id} with Authorization: Bearer <jwt> or access_token=<jwt>");
        links.put("rest", "/api/v1/sync/watchlist, /api/v1/sync/progress, /api/v1/devices");
        links.put("openapi", "/v3/api-docs");
        links.put("api_browser", "/swagger-ui.html");
        links.put("console", "off; start with --sync.gateway.console=true (bin/sync-local does)");
        return ResponseEntity.ok(links);
    }
}
