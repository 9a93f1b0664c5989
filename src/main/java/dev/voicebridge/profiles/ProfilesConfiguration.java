package dev.voicebridge.profiles;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.InvalidSettingException;
import dev.voicebridge.config.OpenAiProperties;
import dev.voicebridge.config.ProfilesProperties;

/**
 * Loads the profiles file (or builds the one implicit profile from the environment) and watches
 * the file for changes.
 */
@Configuration(proxyBeanMethods = false)
class ProfilesConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ProfilesConfiguration.class);

	@Bean
	Profiles profiles(ProfilesProperties properties, AgentProperties agent, OpenAiProperties openai,
			BridgeProperties bridge, Environment environment, MeterRegistry meters, Clock clock) {
		Path file = properties.file();
		boolean realtime = openai.enabled() || (file != null && defaultProfileNamesAKey(file));
		return new Profiles(file, new ProfileSet.Environment(agent, openai, bridge.fallback(), environment::getProperty,
				realtime), meters, clock);
	}

	/** Checks the file for changes; a daemon thread of its own, since reading a file may block. */
	@Bean
	DisposableBean profilesWatch(Profiles profiles, ProfilesProperties properties) {
		if (profiles.file() == null) {
			return () -> {
			};
		}
		ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "voicebridge-profiles-watch");
			thread.setDaemon(true);
			return thread;
		});
		long every = properties.watchInterval().toMillis();
		watch.scheduleWithFixedDelay(() -> {
			try {
				profiles.reloadIfChanged();
			}
			catch (RuntimeException ex) {
				log.warn("[Profiles] could not check {} for changes: {}", profiles.file(), ex.toString());
			}
		}, every, every, TimeUnit.MILLISECONDS);
		log.info("[Profiles] watching {} for changes every {} ms", profiles.file(), every);
		return watch::shutdownNow;
	}

	/** Whether calls run on OpenAI without {@code OPENAI_API_KEY}: the default profile names its own key. */
	private static boolean defaultProfileNamesAKey(Path file) {
		try {
			ProfileFile.Content content = ProfileFile.parse(ProfileFile.read(file));
			return content.profiles().get(content.defaultId()).settings().containsKey(ProfileSetting.API_KEY_VARIABLE);
		}
		catch (ProfileFileException ex) {
			throw new InvalidSettingException(Profiles.PROPERTY, file + " " + ex.getMessage());
		}
	}

}
