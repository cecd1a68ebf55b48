package dev.mediasync.gateway.rest;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.auth.TokenVerifier;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Supplies the {@link AuthenticatedDevice} parameter of REST handlers from the bearer token and the
 * optional {@code X-Device-Id} header (default {@code api}); a bad or missing token is a 401 problem.
 */
@Configuration(proxyBeanMethods = false)
public class CallerResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    static final String DEVICE_HEADER = "X-Device-Id";
    static final String DEFAULT_DEVICE = "api";

    private final TokenVerifier verifier;

    public CallerResolver(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AuthenticatedDevice.class;
    }

    @Override
    public AuthenticatedDevice resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
                                               NativeWebRequest request, WebDataBinderFactory binders) {
        return verifier.verify(TokenVerifier.bearer(request.getHeader(HttpHeaders.AUTHORIZATION)),
                request.getHeader(DEVICE_HEADER), DEFAULT_DEVICE);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }
}
