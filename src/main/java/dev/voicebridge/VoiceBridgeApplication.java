package dev.voicebridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Puts an AI voice agent on a Twilio phone line.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VoiceBridgeApplication {

	public static void main(String[] args) {
		SpringApplication.run(VoiceBridgeApplication.class, args);
	}

}
