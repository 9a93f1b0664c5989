package dev.voicebridge.testing;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code VOICEBRIDGE_TEST_PROGRAMS} asks of tests whose program is missing: unset, they
 * are skipped; {@code required} (CI's run with every program installed) makes them fail;
 * {@code hidden} makes every program look missing (CI's fresh-machine run where it cannot
 * hide the binaries themselves).
 */
enum ProgramsSetting {

	OPTIONAL, REQUIRED, HIDDEN;

	static final String VARIABLE = "VOICEBRIDGE_TEST_PROGRAMS";

	static ProgramsSetting current() {
		String value = System.getenv(VARIABLE);
		if (value == null || value.isBlank()) {
			return OPTIONAL;
		}
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			// a typo must not quietly turn CI's check into a skip
			throw new IllegalStateException(VARIABLE + "=" + value + " is not one of "
					+ Arrays.stream(values()).map((setting) -> setting.name().toLowerCase(Locale.ROOT))
						.collect(Collectors.joining(", ")));
		}
	}

}
