package dev.voicebridge.call;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.voicebridge.agent.TokenUsage;
import dev.voicebridge.profiles.Profiles;

/**
 * The call meters, created once at start-up so nothing is looked up per frame. Every
 * agent, profile and outcome series exists from the start, so alerts see zeros rather than gaps.
 */
@Component
public class CallMetrics {

	static final List<String> AGENTS = List.of("echo", "openai", "traditional");

	/** By agent and profile ({@code agent + '/' + profile}): a profile a reload adds gets its series at its first call. */
	private final Map<String, Map<CallOutcome, Counter>> calls = new ConcurrentHashMap<>();

	private final MeterRegistry registry;

	private final Counter framesIn;

	private final Counter framesOut;

	private final Counter bargeIns;

	private final Timer firstAudio;

	private final Map<IgnoredReason, Counter> ignored = new EnumMap<>(IgnoredReason.class);

	/** By mode ({@code stream}, {@code traditional}), then by kind in {@link TokenUsage#KINDS}' order. */
	private final Map<String, Counter[]> tokens = new HashMap<>();

	private final Map<String, Counter> cost = new HashMap<>();

	private final Counter dtmf;

	/** Why a stream was closed as not being one of our calls: the {@code reason} tag of {@code voicebridge.streams.refused}. */
	static final List<String> REFUSALS = List.of("no-start", "no-token", "bad-token", "expired", "reused");

	private final Map<String, Counter> refused = new HashMap<>();

	public CallMetrics(MeterRegistry registry, Profiles profiles) {
		this.registry = registry;
		for (String agent : AGENTS) {
			for (String profile : profiles.ids()) {
				byOutcome(agent, profile);
			}
		}
		this.framesIn = frames(registry, "inbound");
		this.framesOut = frames(registry, "outbound");
		this.bargeIns = Counter.builder("voicebridge.bargeins")
			.description("Times the caller spoke over agent audio and the agent was cut off")
			.register(registry);
		this.firstAudio = Timer.builder("voicebridge.first.audio")
			.description("Time from stream start to the first agent audio sent to the caller")
			.register(registry);
		for (String mode : List.of("stream", "traditional")) {
			Counter[] kinds = new Counter[TokenUsage.KINDS.length];
			for (int kind = 0; kind < kinds.length; kind++) {
				kinds[kind] = Counter.builder("voicebridge.agent.tokens")
					.description("Tokens the agent's upstream billed, by call mode and kind")
					.tag("mode", mode)
					.tag("kind", TokenUsage.KINDS[kind])
					.register(registry);
			}
			this.tokens.put(mode, kinds);
			this.cost.put(mode, Counter.builder("voicebridge.agent.cost")
				.description("Estimated cost of the agent's tokens from the configured prices, in their currency")
				.tag("mode", mode)
				.register(registry));
		}
		this.dtmf = Counter.builder("voicebridge.dtmf")
			.description("Keypad digits callers pressed (never the digit)")
			.register(registry);
		for (String reason : REFUSALS) {
			this.refused.put(reason, Counter.builder("voicebridge.streams.refused")
				.description("Streams closed before reaching the agent: no valid start in time, or a start whose "
						+ "stream token does not name its call")
				.tag("reason", reason)
				.register(registry));
		}
		for (IgnoredReason reason : IgnoredReason.values()) {
			this.ignored.put(reason, Counter.builder("voicebridge.media.ignored")
				.description("Twilio stream messages ignored, by reason")
				.tag("reason", reason.tag())
				.register(registry));
		}
	}

	private static Counter frames(MeterRegistry registry, String direction) {
		return Counter.builder("voicebridge.media.frames")
			.description("Audio frames relayed: inbound from the caller, outbound to the caller")
			.tag("direction", direction)
			.register(registry);
	}

	/** A call ended; once per call, so the series' lookup here costs nothing per frame. */
	void callEnded(String agent, String profile, CallOutcome outcome) {
		if (AGENTS.contains(agent)) {
			byOutcome(agent, profile).get(outcome).increment();
		}
	}

	/** A traditional-mode call ended: its conversation finished or expired. */
	public void traditionalCallEnded(String profile, CallOutcome outcome) {
		callEnded("traditional", profile, outcome);
	}

	private Map<CallOutcome, Counter> byOutcome(String agent, String profile) {
		return this.calls.computeIfAbsent(agent + "/" + profile, (key) -> {
			Map<CallOutcome, Counter> byOutcome = new EnumMap<>(CallOutcome.class);
			for (CallOutcome outcome : CallOutcome.values()) {
				byOutcome.put(outcome, Counter.builder("voicebridge.calls")
					.description("Calls ended, by agent, profile and outcome")
					.tag("agent", agent)
					.tag("profile", profile)
					.tag("outcome", outcome.tag())
					.register(this.registry));
			}
			return byOutcome;
		});
	}

	/** Tokens of one response or reply; {@code mode} is {@code stream} or {@code traditional}. */
	public void tokens(String mode, TokenUsage usage) {
		Counter[] kinds = this.tokens.get(mode);
		for (int kind = 0; kind < kinds.length; kind++) {
			long count = usage.of(kind);
			if (count > 0) {
				kinds[kind].increment(count);
			}
		}
	}

	public void cost(String mode, double amount) {
		if (amount > 0) {
			this.cost.get(mode).increment(amount);
		}
	}

	public void dtmf() {
		this.dtmf.increment();
	}

	void frameIn() {
		this.framesIn.increment();
	}

	void frameOut() {
		this.framesOut.increment();
	}

	void bargeIn() {
		this.bargeIns.increment();
	}

	void firstAudio(Duration sinceStart) {
		this.firstAudio.record(sinceStart);
	}

	void refused(String reason) {
		this.refused.get(reason).increment();
	}

	public void ignored(IgnoredReason reason) {
		this.ignored.get(reason).increment();
	}

	/** Why a Twilio stream message was ignored; the {@code reason} tag of {@code voicebridge.media.ignored}. */
	public enum IgnoredReason {

		UNKNOWN_EVENT, INVALID, BEFORE_START, WRONG_STREAM, AUDIO_OVERFLOW;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
