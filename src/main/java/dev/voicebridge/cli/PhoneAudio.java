package dev.voicebridge.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Audio files to and from the phone's format, 8 kHz mono mu-law: any PCM, float, mu-law or
 * A-law WAV at any rate is mixed to mono, band-limited and resampled; a recording is written as
 * 16-bit PCM, which every player opens.
 */
final class PhoneAudio {

	static final float RATE = 8000;

	/** Below the phone's Nyquist frequency, where a phone line's band ends. */
	private static final double CUTOFF_HZ = 3600;

	/** The resampling filter's reach on each side, in periods of its cutoff. */
	private static final double REACH = 4;

	private static final AudioFormat MULAW = new AudioFormat(AudioFormat.Encoding.ULAW, RATE, 8, 1, 1, RATE, false);

	private static final AudioFormat PCM = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, RATE, 16, 1, 2, RATE, false);

	private PhoneAudio() {
	}

	/** The file's audio as the phone would send it; the message of the exception names the problem. */
	static byte[] read(Path file) throws UnreadableAudioException {
		AudioInputStream source;
		try {
			source = AudioSystem.getAudioInputStream(file.toFile());
		}
		catch (UnsupportedAudioFileException ex) {
			throw new UnreadableAudioException(file + " is not a WAV file this can read (PCM, float, mu-law or A-law "
					+ "samples; compressed WAVs such as ADPCM or MP3 are not)");
		}
		catch (IOException ex) {
			throw new UnreadableAudioException("cannot read " + file + ": "
					+ (Files.notExists(file) ? "no such file" : ex.getMessage()));
		}
		try (source) {
			AudioFormat format = source.getFormat();
			int channels = format.getChannels();
			AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, format.getSampleRate(), 16, channels,
					2 * channels, format.getSampleRate(), false);
			if (!AudioSystem.isConversionSupported(pcm, format)) {
				throw new UnreadableAudioException(file + " holds " + format + ", which cannot be converted to PCM");
			}
			byte[] samples = AudioSystem.getAudioInputStream(pcm, source).readAllBytes();
			return toMulaw(resample(mono(samples, channels), format.getSampleRate()));
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new UnreadableAudioException("cannot read " + file + ": " + ex.getMessage());
		}
	}

	/** Writes 8 kHz mu-law audio as a 16-bit PCM WAV. */
	static void write(Path file, byte[] mulaw) throws IOException {
		try (AudioInputStream pcm = AudioSystem.getAudioInputStream(PCM,
				new AudioInputStream(new ByteArrayInputStream(mulaw), MULAW, mulaw.length))) {
			AudioSystem.write(pcm, AudioFileFormat.Type.WAVE, file.toFile());
		}
		catch (NoSuchFileException ex) {
			throw new IOException("no such directory for " + file, ex);
		}
	}

	/** 16-bit little-endian interleaved samples, averaged across channels, in -1..1. */
	static float[] mono(byte[] samples, int channels) {
		int frames = samples.length / (2 * channels);
		float[] mono = new float[frames];
		for (int frame = 0; frame < frames; frame++) {
			int sum = 0;
			for (int channel = 0; channel < channels; channel++) {
				int at = 2 * (frame * channels + channel);
				sum += (short) ((samples[at + 1] << 8) | (samples[at] & 0xff));
			}
			mono[frame] = sum / (channels * 32768f);
		}
		return mono;
	}

	/**
	 * To 8 kHz with a windowed-sinc (Blackman) filter evaluated at each output instant, so
	 * what lies above the phone's band is removed rather than folded back into it.
	 */
	static float[] resample(float[] samples, float rate) {
		if (rate == RATE) {
			return samples;
		}
		double step = rate / RATE;
		// the cutoff in cycles per input sample: the phone's band, or the input's own when it is narrower
		double cutoff = Math.min(CUTOFF_HZ / rate, 0.45);
		double reach = REACH / cutoff;
		float[] out = new float[(int) (samples.length / step)];
		for (int i = 0; i < out.length; i++) {
			double at = i * step;
			int first = Math.max(0, (int) Math.ceil(at - reach));
			int last = Math.min(samples.length - 1, (int) Math.floor(at + reach));
			double sum = 0;
			for (int k = first; k <= last; k++) {
				double distance = at - k;
				double u = distance / reach;
				double window = 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
				double x = 2 * cutoff * distance;
				double sinc = (x == 0) ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
				sum += samples[k] * 2 * cutoff * sinc * window;
			}
			out[i] = (float) sum;
		}
		return out;
	}

	private static byte[] toMulaw(float[] samples) throws IOException {
		byte[] pcm = new byte[2 * samples.length];
		for (int i = 0; i < samples.length; i++) {
			int value = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
			pcm[2 * i] = (byte) value;
			pcm[2 * i + 1] = (byte) (value >> 8);
		}
		try (AudioInputStream mulaw = AudioSystem.getAudioInputStream(MULAW,
				new AudioInputStream(new ByteArrayInputStream(pcm), PCM, samples.length))) {
			return mulaw.readAllBytes();
		}
	}

	/** A file the call cannot play; the message says why and is meant for the user. */
	static final class UnreadableAudioException extends Exception {

		UnreadableAudioException(String message) {
			super(message);
		}

	}

}
