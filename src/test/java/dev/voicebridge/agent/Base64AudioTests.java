package dev.voicebridge.agent;

import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Base64Audio}.
 */
class Base64AudioTests {

	@Test
	void acceptsPaddedAndUnpaddedWellFormedBase64() {
		assertThat(Base64Audio.isWellFormed("AAAA")).isTrue();
		assertThat(Base64Audio.isWellFormed("AA==")).isTrue();
		assertThat(Base64Audio.isWellFormed("AAA=")).isTrue();
		assertThat(Base64Audio.isWellFormed("/+9azAZ0")).isTrue();
		assertThat(Base64Audio.isWellFormed(Base64.getEncoder().encodeToString(new byte[] { -1, -2, -3, -4, -5 })))
			.isTrue();
	}

	@Test
	void acceptsEmptyString() {
		assertThat(Base64Audio.isWellFormed("")).isTrue();
	}

	@Test
	void acceptsEveryEncodingOfRandomBytes() {
		Random random = new Random(7);
		for (int length = 0; length <= 100; length++) {
			byte[] bytes = new byte[length];
			random.nextBytes(bytes);
			String text = Base64.getEncoder().encodeToString(bytes);
			assertThat(Base64Audio.isWellFormed(text)).as("%s", text).isTrue();
		}
	}

	@Test
	void rejectsLengthThatIsNotAMultipleOfFour() {
		assertThat(Base64Audio.isWellFormed("A")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA")).isFalse();
		assertThat(Base64Audio.isWellFormed("AAA")).isFalse();
		assertThat(Base64Audio.isWellFormed("AAAAA")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA=")).isFalse();
	}

	@Test
	void rejectsCharactersOutsideTheStandardAlphabet() {
		assertThat(Base64Audio.isWellFormed("AA\"A")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA\\A")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA A")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA-_")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA\nA")).isFalse();
		assertThat(Base64Audio.isWellFormed("AAé=")).isFalse();
	}

	@Test
	void rejectsPaddingAnywhereButTheEnd() {
		assertThat(Base64Audio.isWellFormed("A=AA")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA=A")).isFalse();
		assertThat(Base64Audio.isWellFormed("A=A=")).isFalse();
		assertThat(Base64Audio.isWellFormed("AA==AAAA")).isFalse();
		assertThat(Base64Audio.isWellFormed("A===")).isFalse();
		assertThat(Base64Audio.isWellFormed("====")).isFalse();
	}

	@Test
	void decodedLengthMatchesTheJdkDecoder() {
		Random random = new Random(20240601);
		for (int length = 0; length <= 400; length++) {
			byte[] bytes = new byte[length];
			random.nextBytes(bytes);
			String text = Base64.getEncoder().encodeToString(bytes);
			assertThat(Base64Audio.decodedLength(text)).as("length %d", length)
				.isEqualTo(Base64.getDecoder().decode(text).length);
		}
	}

	@Test
	void decodedLengthFromAlignedOffsetMatchesTheJdkDecoderOnTheRest() {
		Random random = new Random(20240602);
		for (int length = 0; length <= 400; length++) {
			byte[] bytes = new byte[length];
			random.nextBytes(bytes);
			String text = Base64.getEncoder().encodeToString(bytes);
			for (int from = 0; from <= text.length(); from += 4) {
				assertThat(Base64Audio.decodedLength(text, from)).as("length %d from %d", length, from)
					.isEqualTo(Base64.getDecoder().decode(text.substring(from)).length);
			}
		}
	}

	@Test
	void decodedLengthOfMuLawIsItsDurationInBytes() {
		String twentyMs = Base64.getEncoder().encodeToString(new byte[20 * Base64Audio.BYTES_PER_MS]);

		assertThat(Base64Audio.decodedLength(twentyMs)).isEqualTo(160);
		assertThat(twentyMs).hasSize(216);
	}

}
