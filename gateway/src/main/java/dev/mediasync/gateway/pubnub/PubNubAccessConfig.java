package dev.mediasync.gateway.pubnub;

import com.pubnub.api.PubNubException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** PubNub grants exist only with a subscribe key and the secret key. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${sync.pubnub.subscribe-key:}' != '' and '${sync.pubnub.secret-key:}' != ''")
class PubNubAccessConfig {

    @Bean(destroyMethod = "close")
    PubNubGrants pubNubGrants(PubNubAccessProperties properties) throws PubNubException {
        return new PubNubGrants(properties);
    }
}
