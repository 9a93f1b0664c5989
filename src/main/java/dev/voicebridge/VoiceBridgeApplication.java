package dev.voicebridge;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.voicebridge.cli.CallCommand;
import dev.voicebridge.diagnostics.Doctor;

/**
 * Puts an AI voice agent on a Twilio phone line. {@code doctor URL} checks a deployment and
 * {@code call URL} places a call to one, instead of starting the service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VoiceBridgeApplication {

	public static void main(String[] args) {
		if (args.length > 0 && "doctor".equals(args[0])) {
			System.exit(Doctor.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.getenv()));
		}
		if (args.length > 0 && "call".equals(args[0])) {
			System.exit(CallCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.getenv()));
		}
		SpringApplication.run(VoiceBridgeApplication.class, args);
	}

}
