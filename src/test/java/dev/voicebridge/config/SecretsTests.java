package dev.voicebridge.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings that may hold a secret reach logs and errors masked; untrusted text cannot forge log lines. */
class SecretsTests {

	@Test
	void userInfoIsMaskedEvenWhenThePasswordHoldsUnescapedSeparators() {
		assertThat(Secrets.withoutUserInfo("redis://default:p@ss/w0rd@redis.internal:6379"))
			.isEqualTo("redis://****@redis.internal:6379");
		assertThat(Secrets.withoutUserInfo("rediss://:secret@host:6380/0")).isEqualTo("rediss://****@host:6380/0");
		assertThat(Secrets.withoutUserInfo("wss://api.openai.com/v1/realtime")).isEqualTo("wss://api.openai.com/v1/realtime");
		assertThat(Secrets.withoutUserInfo("https://hooks.example.com/calls?token=s3cret&x=1"))
			.isEqualTo("https://hooks.example.com/calls?token=****&x=****");
		assertThat(Secrets.withoutUserInfo("https://u:p@x.example.com/a?api-key=k")).isEqualTo("https://****@x.example.com/a?api-key=****");
	}

	@Test
	void controlCharactersCannotForgeALogLineAndLongTextIsCut() {
		assertThat(Secrets.forLog("31920\r\n[Stream] forged line", 100)).isEqualTo("31920??[Stream] forged line");
		assertThat(Secrets.forLog("x".repeat(5000), 300)).hasSize(300 + "...(5000 chars)".length());
	}

}
