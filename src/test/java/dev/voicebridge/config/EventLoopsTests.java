package dev.voicebridge.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The web server runs one event loop per core, unless Reactor Netty's own setting says otherwise. */
class EventLoopsTests {

	@Test
	void oneLoopPerCore() {
		assertThat(WebConfiguration.eventLoops(2, null)).isEqualTo(2);
		assertThat(WebConfiguration.eventLoops(1, null)).isEqualTo(1);
		assertThat(WebConfiguration.eventLoops(8, null)).isEqualTo(8);
	}

	@Test
	void reactorNettysSettingWinsButNeverBelowOne() {
		assertThat(WebConfiguration.eventLoops(2, 4)).isEqualTo(4);
		assertThat(WebConfiguration.eventLoops(2, 0)).isEqualTo(1);
	}

}
