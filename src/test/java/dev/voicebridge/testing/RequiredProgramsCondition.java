package dev.voicebridge.testing;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Disables a class or method annotated {@link RequiresProgram} whose programs are not all
 * installed. A condition runs before any set-up, so a skipped class has nothing to tear down.
 */
class RequiredProgramsCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		// only the element that carries the annotation: a class's methods inherit its verdict
		List<TestProgram> programs = context.getElement()
			.flatMap((element) -> AnnotationSupport.findAnnotation(element, RequiresProgram.class))
			.map((annotation) -> Arrays.asList(annotation.value()))
			.orElse(List.of());
		List<TestProgram> missing = programs.stream().filter((program) -> program.lookup().isEmpty()).toList();
		if (missing.isEmpty()) {
			return ConditionEvaluationResult.enabled("its programs are installed");
		}
		String reason = missing.stream().map(TestProgram::notInstalled).collect(Collectors.joining("; "));
		if (ProgramsSetting.current() == ProgramsSetting.REQUIRED) {
			throw new IllegalStateException(reason + ". " + ProgramsSetting.VARIABLE
					+ "=required: CI must install every program the tests drive (.ci/run runs scripts/install-test-tools.sh)");
		}
		return ConditionEvaluationResult.disabled(reason);
	}

}
