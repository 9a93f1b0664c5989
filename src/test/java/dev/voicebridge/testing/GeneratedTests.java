package dev.voicebridge.testing;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Generated cases are the same on every run, named by seed and index, and each stands alone. */
class GeneratedTests {

	@Test
	void caseNSeedIsTheNthValueOfSplittableRandom() {
		SplittableRandom sequence = new SplittableRandom(Generated.DEFAULT_SEED);
		for (int number = 1; number <= 100; number++) {
			assertThat(Generated.caseSeed(Generated.DEFAULT_SEED, number)).isEqualTo(sequence.nextLong());
		}
	}

	@Test
	void casesAreNamedBySeedAndNumberAndRepeatAcrossRuns() {
		List<Named<Long>> first = cases(null, 3);
		List<Named<Long>> again = cases(null, 3);

		assertThat(first).extracting(Named::getName)
			.containsExactly("seed 20261203, case 1", "seed 20261203, case 2", "seed 20261203, case 3");
		assertThat(first).extracting(Named::getPayload).doesNotHaveDuplicates();
		assertThat(again).extracting(Named::getPayload).isEqualTo(first.stream().map(Named::getPayload).toList());
	}

	@Test
	void aCaseDependsOnlyOnTheSeedAndItsNumber() {
		Named<Long> third = cases(null, 3).get(2);

		assertThat(cases(null, 50).get(2).getPayload()).isEqualTo(third.getPayload());
		assertThat(cases(3, 50)).singleElement().satisfies((alone) -> {
			assertThat(alone.getName()).isEqualTo(third.getName());
			assertThat(alone.getPayload()).isEqualTo(third.getPayload());
		});
	}

	@Test
	void anotherSeedGivesOtherCases() {
		assertThat(Generated.cases(1L, null, 3, SplittableRandom::nextLong).map(Named::getPayload))
			.doesNotContainAnyElementsOf(cases(null, 3).stream().map(Named::getPayload).toList());
	}

	private static List<Named<Long>> cases(Integer only, int count) {
		return Generated.cases(Generated.DEFAULT_SEED, only, count, SplittableRandom::nextLong).toList();
	}

}
