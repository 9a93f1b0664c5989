package dev.voicebridge.web;

import org.junit.jupiter.api.Test;



import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CloseCodes}.
 */
class CloseCodesTests {

	@Test
	void replacesCodesThatOnlyDescribeWhatAPeerObserved() {
		assertThat(CloseCodes.sendable(1005)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(1006)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(1015)).isEqualTo(1011);
	}

	@Test
	void replacesReservedAndOutOfRangeCodes() {
		assertThat(CloseCodes.sendable(999)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(1004)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(2999)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(5000)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(0)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(-1)).isEqualTo(1011);
	}

	@Test
	void keepsSendableCodes() {
		assertThat(CloseCodes.sendable(1000)).isEqualTo(1000);
		assertThat(CloseCodes.sendable(1001)).isEqualTo(1001);
		assertThat(CloseCodes.sendable(1003)).isEqualTo(1003);
		assertThat(CloseCodes.sendable(1008)).isEqualTo(1008);
		assertThat(CloseCodes.sendable(1009)).isEqualTo(1009);
		assertThat(CloseCodes.sendable(1011)).isEqualTo(1011);
		assertThat(CloseCodes.sendable(3000)).isEqualTo(3000);
		assertThat(CloseCodes.sendable(4999)).isEqualTo(4999);
	}

	@Test
	void namedConstantsAreSendable() {
		int[] named = { CloseCodes.NORMAL, CloseCodes.GOING_AWAY, CloseCodes.UNSUPPORTED_DATA,
				CloseCodes.POLICY_VIOLATION, CloseCodes.TOO_BIG, CloseCodes.SERVER_ERROR };
		for (int code : named) {
			assertThat(CloseCodes.sendable(code)).isEqualTo(code);
		}
	}

}
