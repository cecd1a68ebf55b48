package dev.mediasync.gateway.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the device console (static files under {@code classpath:/console/}, the JavaScript client from
 * {@code clients/js} among them) when {@code sync.gateway.console=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("sync.gateway.console")
class ConsoleConfig implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/**").addResourceLocations("classpath:/console/");
        registry.addResourceHandler("/favicon.ico").addResourceLocations("classpath:/console/"); // browsers ask at the root
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }
}
