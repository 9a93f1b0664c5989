package dev.voicebridge.twilio;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.voicebridge.config.Secrets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the static helpers of {@link IncomingCallController}.
 */
class IncomingCallParametersTests {

	@Test
	void operatorParametersKeepsTheOperatorsOwnParameters() {
		assertThat(IncomingCallController.operatorParameters("businessId=b1"))
			.containsExactly(Map.entry("businessId", "b1"));
	}

	@Test
	void operatorParametersDropsTwiliosOwnParameters() {
		String query = "AccountSid=AC123&CallSid=CA123&businessId=b1&From=%2B15551234567&To=%2B15557654321"
				+ "&CallStatus=ringing&Direction=inbound&ApiVersion=2010-04-01";

		assertThat(IncomingCallController.operatorParameters(query)).containsExactly(Map.entry("businessId", "b1"));
	}

	@Test
	void operatorParametersKeepsQueryOrder() {
		assertThat(IncomingCallController.operatorParameters("b=2&a=1&c=3")).containsExactly(Map.entry("b", "2"),
				Map.entry("a", "1"), Map.entry("c", "3"));
	}

	@Test
	void operatorParametersDecodesPercentEscapesAndPlus() {
		Map<String, String> parameters = IncomingCallController
			.operatorParameters("name=John%20Smith&city=New+York&note=a%26b%3Dc&caf%C3%A9=ol%C3%A9");

		assertThat(parameters).containsExactly(Map.entry("name", "John Smith"), Map.entry("city", "New York"),
				Map.entry("note", "a&b=c"), Map.entry("café", "olé"));
	}

	@Test
	void operatorParametersSkipsMalformedEscapesWithoutThrowing() {
		Map<String, String> parameters = IncomingCallController.operatorParameters("bad=%zz&ok=1&worse%zz=2&tail=%");

		assertThat(parameters).containsExactly(Map.entry("ok", "1"));
	}

	@Test
	void operatorParametersKeepsTheFirstOfRepeatedNames() {
		assertThat(IncomingCallController.operatorParameters("businessId=b1&businessId=b2"))
			.containsExactly(Map.entry("businessId", "b1"));
	}

	@Test
	void operatorParametersTreatsANameWithoutValueAsEmptyAndSkipsEmptyNames() {
		assertThat(IncomingCallController.operatorParameters("flag&=x&&y=")).containsExactly(Map.entry("flag", ""),
				Map.entry("y", ""));
	}

	@Test
	void operatorParametersOfNoQueryIsEmpty() {
		assertThat(IncomingCallController.operatorParameters(null)).isEmpty();
		assertThat(IncomingCallController.operatorParameters("")).isEmpty();
	}

	@Test
	void maskedKeepsOnlyTheLastFourDigits() {
		assertThat(Secrets.maskedNumber("+15551234567")).isEqualTo("********4567");
	}

	@Test
	void maskedLeavesShortAndMissingValuesAlone() {
		assertThat(Secrets.maskedNumber("1234")).isEqualTo("1234");
		assertThat(Secrets.maskedNumber(null)).isNull();
		assertThat(Secrets.maskedNumber("12345")).isEqualTo("*2345");
	}

}
