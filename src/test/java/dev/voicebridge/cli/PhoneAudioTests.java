package dev.voicebridge.cli;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.voicebridge.cli.PhoneAudio.UnreadableAudioException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class PhoneAudioTests {

	@TempDir
	Path dir;

	@Test
	void readsAWideBandStereoWavAsEightKilohertzMulawAtTheSamePitch() throws Exception {
		Path wav = Tones.write(this.dir.resolve("in.wav"), 44100, 24, 2, 440, 0.5, 1.0, false);
		float[] phone = decode(PhoneAudio.read(wav));
		assertThat(phone.length).isCloseTo(8000, within(2));
		// 440 Hz crosses zero 880 times a second
		assertThat(zeroCrossings(phone)).isCloseTo(880, within(4));
		assertThat(rms(phone)).isCloseTo(0.5 / Math.sqrt(2), within(0.02));
	}

	@Test
	void removesWhatLiesAboveThePhonesBandRatherThanFoldingItIn() throws Exception {
		// 6 kHz would fold to 2 kHz at 8 kHz without a filter
		Path wav = Tones.write(this.dir.resolve("high.wav"), 16000, 6000, 1.0);
		assertThat(rms(decode(PhoneAudio.read(wav)))).isLessThan(0.01);
		Path speechBand = Tones.write(this.dir.resolve("low.wav"), 16000, 1000, 1.0);
		assertThat(rms(decode(PhoneAudio.read(speechBand)))).isCloseTo(0.5 / Math.sqrt(2), within(0.02));
	}

	@Test
	void mixesChannelsToOne() throws Exception {
		Path opposed = Tones.write(this.dir.resolve("opposed.wav"), 8000, 16, 2, 440, 0.5, 0.5, true);
		assertThat(rms(decode(PhoneAudio.read(opposed)))).isLessThan(0.001);
	}

	@Test
	void aRecordingReadsBackAsTheSameMulawBytes() throws Exception {
		byte[] mulaw = PhoneAudio.read(Tones.write(this.dir.resolve("tone.wav"), 8000, 300, 0.5));
		Path recording = this.dir.resolve("recording.wav");
		PhoneAudio.write(recording, mulaw);
		AudioFormat format = AudioSystem.getAudioFileFormat(recording.toFile()).getFormat();
		assertThat(format.getSampleRate()).isEqualTo(8000);
		assertThat(format.getSampleSizeInBits()).isEqualTo(16);
		assertThat(PhoneAudio.read(recording)).isEqualTo(mulaw);
	}

	@Test
	void namesWhatItCannotRead() throws Exception {
		Path text = Files.writeString(this.dir.resolve("notes.wav"), "not audio");
		assertThatExceptionOfType(UnreadableAudioException.class).isThrownBy(() -> PhoneAudio.read(text))
			.withMessageContaining("notes.wav is not a WAV file this can read");
		assertThatExceptionOfType(UnreadableAudioException.class)
			.isThrownBy(() -> PhoneAudio.read(this.dir.resolve("missing.wav")))
			.withMessageContaining("no such file");
	}

	private static float[] decode(byte[] mulaw) throws Exception {
		AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
		AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 8000, 16, 1, 2, 8000, false);
		try (AudioInputStream in = AudioSystem.getAudioInputStream(pcm,
				new AudioInputStream(new ByteArrayInputStream(mulaw), ulaw, mulaw.length))) {
			return PhoneAudio.mono(in.readAllBytes(), 1);
		}
	}

	/** Skips the filter's first and last 50 ms, where the tone starts and stops. */
	private static double rms(float[] samples) {
		double sum = 0;
		for (int i = 400; i < samples.length - 400; i++) {
			sum += samples[i] * samples[i];
		}
		return Math.sqrt(sum / (samples.length - 800));
	}

	private static int zeroCrossings(float[] samples) {
		int crossings = 0;
		for (int i = 1; i < samples.length; i++) {
			if ((samples[i - 1] < 0) != (samples[i] < 0)) {
				crossings++;
			}
		}
		return crossings;
	}

}
