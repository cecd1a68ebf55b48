package dev.mediasync.gateway.rest;

import dev.mediasync.gateway.auth.AuthenticatedDevice;
import dev.mediasync.gateway.auth.NewDeviceGuard;
import dev.mediasync.gateway.auth.TokenVerifier;
import dev.mediasync.gateway.auth.VerifiedToken;
import dev.mediasync.gateway.ops.RateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Supplies the {@link AuthenticatedDevice} parameter of REST handlers from the bearer token and the
 * optional {@code X-Device-Id} header (default {@code api}); a bad or missing token is a 401 problem.
 * Every caller passes the new-device guard, and every GET takes a token from its user's read bucket.
 */
@Configuration(proxyBeanMethods = false)
public class CallerResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    static final String DEVICE_HEADER = "X-Device-Id";
    static final String DEFAULT_DEVICE = "api";

    private final TokenVerifier verifier;
    private final NewDeviceGuard newDevices;
    private final RateLimiter rateLimiter;

    public CallerResolver(TokenVerifier verifier, NewDeviceGuard newDevices, RateLimiter rateLimiter) {
        this.verifier = verifier;
        this.newDevices = newDevices;
        this.rateLimiter = rateLimiter;
    }

    /** {@link AuthenticatedDevice}, or the whole {@link VerifiedToken} for a handler that needs its expiry. */
    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AuthenticatedDevice.class
                || parameter.getParameterType() == VerifiedToken.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
                                  NativeWebRequest request, WebDataBinderFactory binders) {
        VerifiedToken token = verifier.verifyToken(TokenVerifier.bearer(request.getHeader(HttpHeaders.AUTHORIZATION)),
                request.getHeader(DEVICE_HEADER), DEFAULT_DEVICE);
        AuthenticatedDevice caller = token.device();
        newDevices.admit(caller);
        HttpServletRequest http = request.getNativeRequest(HttpServletRequest.class);
        if (http != null && HttpMethod.GET.matches(http.getMethod())) {
            rateLimiter.acquireRead(caller.userId());
        }
        return parameter.getParameterType() == VerifiedToken.class ? token : caller;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }
}
