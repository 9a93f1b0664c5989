package dev.voicebridge.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens an agent's upstream billed, split as OpenAI reports them: input (not cached) and cached
 * input by text and audio, output by text and audio. Cached tokens are not counted again in input.
 */
public record TokenUsage(long inputText, long inputAudio, long cachedText, long cachedAudio, long outputText,
		long outputAudio) {

	public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0, 0);

	/** The {@code kind} tag of each figure, in the order of the fields. */
	public static final String[] KINDS = { "input_text", "input_audio", "cached_text", "cached_audio", "output_text",
			"output_audio" };

	public TokenUsage plus(TokenUsage other) {
		return new TokenUsage(this.inputText + other.inputText, this.inputAudio + other.inputAudio,
				this.cachedText + other.cachedText, this.cachedAudio + other.cachedAudio,
				this.outputText + other.outputText, this.outputAudio + other.outputAudio);
	}

	/** The figure of a kind, by its index in {@link #KINDS}. */
	public long of(int kind) {
		return switch (kind) {
			case 0 -> this.inputText;
			case 1 -> this.inputAudio;
			case 2 -> this.cachedText;
			case 3 -> this.cachedAudio;
			case 4 -> this.outputText;
			case 5 -> this.outputAudio;
			default -> throw new IllegalArgumentException("no kind " + kind);
		};
	}

	public long total() {
		return this.inputText + this.inputAudio + this.cachedText + this.cachedAudio + this.outputText + this.outputAudio;
	}

	/** By kind, for JSON: {@code {"input_text": 12, ...}}. */
	public Map<String, Long> byKind() {
		Map<String, Long> kinds = new LinkedHashMap<>();
		for (int i = 0; i < KINDS.length; i++) {
			kinds.put(KINDS[i], of(i));
		}
		return kinds;
	}

	/**
	 * From OpenAI's totals: {@code text} and {@code audio} input tokens with the cached share of
	 * each (when only a cached total is known, it counts as text).
	 */
	public static TokenUsage of(long inputText, long inputAudio, long cachedText, long cachedAudio, long outputText,
			long outputAudio) {
		return new TokenUsage(Math.max(0, inputText - cachedText), Math.max(0, inputAudio - cachedAudio), cachedText,
				cachedAudio, outputText, outputAudio);
	}

}
