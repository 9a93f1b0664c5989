package dev.voicebridge.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class or method drives these real programs. When one is missing it is skipped with
 * one line naming the Debian package, before any {@code @BeforeAll} or {@code @BeforeEach} runs;
 * with {@code VOICEBRIDGE_TEST_PROGRAMS=required} it fails instead.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RequiredProgramsCondition.class)
public @interface RequiresProgram {

	TestProgram[] value();

}
