package dev.mediasync.gateway.support;

import dev.mediasync.gateway.base.GatewayProperties;
import dev.mediasync.gateway.auth.AuthProperties;
import dev.mediasync.gateway.pubnub.PubNubAccessProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The gateway's typed properties as Spring binds them: defaults, plus what a test sets. */
public final class Properties {

    private Properties() {
    }

    /** @param settings pairs of property name (below {@code sync.gateway.}) and value */
    public static GatewayProperties gateway(String... settings) {
        return bind("sync.gateway", GatewayProperties.class, settings);
    }

    /** @param settings pairs of property name (below {@code sync.security.}) and value */
    public static AuthProperties auth(String... settings) {
        return bind("sync.security", AuthProperties.class, settings);
    }

    /** @param settings pairs of property name (below {@code sync.pubnub.}) and value */
    public static PubNubAccessProperties pubnub(String... settings) {
        return bind("sync.pubnub", PubNubAccessProperties.class, settings);
    }

    private static <T> T bind(String prefix, Class<T> type, String... settings) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < settings.length; i += 2) {
            map.put(prefix + "." + settings[i], settings[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate(prefix, type);
    }
}
