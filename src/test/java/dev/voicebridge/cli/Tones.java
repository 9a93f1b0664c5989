package dev.voicebridge.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** WAV files of sine tones, written with the JDK's own audio writer, as a user's tool would. */
final class Tones {

	private Tones() {
	}

	/** A 16-bit tone at {@code rate}, the same in every channel but the second, which is inverted when {@code opposed}. */
	static Path write(Path file, float rate, int bits, int channels, double hertz, double amplitude, double seconds,
			boolean opposed) throws IOException {
		int frames = (int) (rate * seconds);
		int width = bits / 8;
		byte[] samples = new byte[frames * channels * width];
		long full = (1L << (bits - 1)) - 1;
		for (int i = 0; i < frames; i++) {
			double value = amplitude * Math.sin(2 * Math.PI * hertz * i / rate);
			for (int channel = 0; channel < channels; channel++) {
				long sample = Math.round(((opposed && channel == 1) ? -value : value) * full);
				for (int b = 0; b < width; b++) {
					samples[(i * channels + channel) * width + b] = (byte) (sample >> (8 * b));
				}
			}
		}
		AudioFormat format = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, bits, channels, channels * width, rate,
				false);
		AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(samples), format, frames),
				AudioFileFormat.Type.WAVE, file.toFile());
		return file;
	}

	static Path write(Path file, float rate, double hertz, double seconds) throws IOException {
		return write(file, rate, 16, 1, hertz, 0.5, seconds, false);
	}

}
