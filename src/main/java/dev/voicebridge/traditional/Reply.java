package dev.voicebridge.traditional;

import dev.voicebridge.agent.TokenUsage;

/** A text model's answer to one caller turn, and the tokens it billed. */
record Reply(String text, TokenUsage usage) {
}
