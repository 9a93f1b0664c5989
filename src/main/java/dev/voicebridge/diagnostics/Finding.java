package dev.voicebridge.diagnostics;

/**
 * One thing the diagnosis found, in words an operator can act on.
 *
 * @param id stable identifier (tests, alerts and the doctor refer to it)
 * @param severity {@code error}, {@code warning}, {@code info} or {@code ok}
 * @param finding what is wrong (or right), in one sentence
 * @param evidence the counts or records that show it
 * @param fix what to do about it
 */
public record Finding(String id, String severity, String finding, String evidence, String fix) {
}
