package dev.voicebridge.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Guards the admin endpoints, and keeps JSON endpoints answering JSON. The Twilio SDK brings Jackson's XML module (TwiML needs
 * its woodstox), which would otherwise make MVC answer browsers, whose {@code Accept} lists
 * {@code application/xml}, with XML. TwiML is written as a string and needs no converter.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	/** Paths that need {@code Authorization: Bearer ADMIN_TOKEN}. */
	static final String[] ADMIN_PATHS = { "/admin/**", "/calls", "/test-call-realtime", "/realtime-api-config" };

	private final BridgeProperties properties;

	WebConfiguration(BridgeProperties properties) {
		this.properties = properties;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new AdminTokenInterceptor(this.properties.adminToken())).addPathPatterns(ADMIN_PATHS);
	}

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.configureMessageConvertersList((converters) -> converters.removeIf(WebConfiguration::writesXmlObjects));
	}

	private static boolean writesXmlObjects(org.springframework.http.converter.HttpMessageConverter<?> converter) {
		return converter.getSupportedMediaTypes()
			.stream()
			.anyMatch((type) -> type.isCompatibleWith(MediaType.APPLICATION_XML) && !type.isWildcardType());
	}

}
