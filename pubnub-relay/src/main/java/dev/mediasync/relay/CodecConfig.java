package dev.mediasync.relay;

import dev.mediasync.protocol.MessageCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class CodecConfig {

    @Bean
    public MessageCodec messageCodec() {
        return new MessageCodec();
    }
}
