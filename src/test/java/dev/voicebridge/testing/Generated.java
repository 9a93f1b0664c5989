package dev.voicebridge.testing;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;

/**
 * Generated cases for {@code @ParameterizedTest(name = "{0}")}: the same cases on every run, from
 * a fixed seed. Case N (from 1, as Surefire's {@code method(...)[N]}) is built from its own random
 * source, derived from the seed and N alone, and is named {@code seed S, case N};
 * {@code -Dvoicebridge.test.case=N} runs it alone, {@code -Dvoicebridge.test.seed=S} explores others.
 */
public final class Generated {

	/** The seed of every run that does not set {@code voicebridge.test.seed}. */
	public static final long DEFAULT_SEED = 20261203L;

	private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

	private Generated() {
	}

	/** {@code count} cases, each the generator's answer to the case's own random source. */
	public static <T> Stream<Named<T>> cases(int count, Function<SplittableRandom, T> generator) {
		return cases(Long.getLong("voicebridge.test.seed", DEFAULT_SEED), Integer.getInteger("voicebridge.test.case"),
				count, generator);
	}

	/** The cases of one seed: all {@code count}, or case {@code only} when it is not null. */
	static <T> Stream<Named<T>> cases(long seed, Integer only, int count, Function<SplittableRandom, T> generator) {
		IntStream numbers = (only != null) ? IntStream.of(only) : IntStream.rangeClosed(1, count);
		return numbers.mapToObj((number) -> Named.of("seed " + seed + ", case " + number,
				generator.apply(new SplittableRandom(caseSeed(seed, number)))));
	}

	/**
	 * The {@code number}-th value {@code new SplittableRandom(seed)} would return, computed
	 * directly (SplitMix64), so case N needs none of the cases before it.
	 */
	static long caseSeed(long seed, int number) {
		long z = seed + number * GOLDEN_GAMMA;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

}
