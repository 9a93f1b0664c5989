package dev.voicebridge.traditional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.agent.Keypad;
import dev.voicebridge.call.CallMetrics;
import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.config.TraditionalProperties;
import dev.voicebridge.config.Upstream;
import dev.voicebridge.profiles.CallProfile;
import dev.voicebridge.profiles.Profiles;

/**
 * Turn-based calls that need no WebSocket: Twilio recognises the caller's speech, each turn goes
 * to a text model with the conversation so far, and the reply is spoken with {@code <Say>}. Every
 * answer is TwiML that keeps the call going: an upstream failure is an apology and another turn,
 * never silence.
 */
public class TraditionalMode {

	private static final Logger log = LoggerFactory.getLogger(TraditionalMode.class);

	static final String FAILOVER_OPENING = "Sorry, we had trouble connecting you. Let's continue. How can I help?";

	static final String APOLOGY = "Sorry, I'm having trouble answering right now. Could you say that again?";

	static final String STILL_THERE = "Are you still there? Please tell me how I can help.";

	static final String GOODBYE = "Thank you for calling. Goodbye!";

	/** Twilio's speech results are short; this bounds what one turn may add to the state. */
	static final int MAX_SPEECH_CHARS = 1000;

	/** A phone reply is a few sentences; Twilio's {@code <Say>} takes at most 4096 characters. */
	static final int MAX_REPLY_CHARS = 1500;

	private final ConversationStore store;

	private final Replier replier;

	private final CallMetrics metrics;

	private final TurnMetrics turns;

	private final TraditionalProperties properties;

	private final Profiles profiles;

	private final CallInsight insight;

	private final Clock clock;

	TraditionalMode(ConversationStore store, Replier replier, CallMetrics metrics, TurnMetrics turns,
			TraditionalProperties properties, Profiles profiles, CallInsight insight, Clock clock) {
		this.store = store;
		this.replier = replier;
		this.metrics = metrics;
		this.turns = turns;
		this.properties = properties;
		this.profiles = profiles;
		this.insight = insight;
		this.clock = clock;
	}

	/**
	 * Starts (or, after a failed stream, continues) a call in traditional mode with its profile and
	 * answers its first TwiML. {@code base} is the public base URL the action must point at.
	 */
	public String begin(String callSid, String base, boolean failover, CallProfile profile) {
		long now = this.clock.millis();
		TurnSettings settings = TurnSettings.of(profile, this.insight.keypadToAgent(profile), now);
		// the store fails soft: a first turn rebuilds what it cannot find, the caller is answered now
		Conversation conversation = this.store.load(callSid).orElseGet(() -> Conversation.start(now, settings));
		this.store.save(callSid, conversation.touched(now));
		log.info("[Traditional] callSid={} {} in traditional mode profile={} (replies: {})", callSid,
				failover ? "continues" : "starts", profile.label(), this.replier.name());
		String greeting = (profile.greeting() != null) ? profile.greeting() : this.properties.greeting();
		return TraditionalTwiml.gather(base, failover ? FAILOVER_OPENING : greeting, settings);
	}

	/**
	 * Answers one caller turn: {@code speech} is Twilio's {@code SpeechResult} and {@code digits}
	 * its {@code Digits}, either null or blank; keypad digits are answered like words.
	 * {@code named} is the profile the action's URL names, for a turn that finds no stored
	 * conversation.
	 */
	String turn(String callSid, String speech, String digits, CallProfile named, String base) {
		long now = this.clock.millis();
		Conversation conversation = this.store.load(callSid).orElseGet(() -> rebuilt(named, now));
		TurnSettings settings = settingsOf(conversation, now);
		if (this.insight.timeIsUp(settings.startedAt(), now)) {
			return end(callSid, "time limit", conversation, this.insight.timeLimitGoodbye(), now);
		}
		boolean keypad = (speech == null || speech.isBlank()) && settings.keypad() && digits != null
				&& Keypad.isEntry(digits);
		if (keypad) {
			this.metrics.dtmf();
			conversation = conversation.withTally(conversation.totals().keypad());
			speech = Keypad.message(digits);
		}
		if (speech == null || speech.isBlank()) {
			this.turns.turn(TurnMetrics.Outcome.SILENT);
			Conversation silent = conversation.silent(now);
			if (silent.silences() >= this.properties.maxSilences()) {
				return end(callSid, "silence", silent, GOODBYE, now);
			}
			save(callSid, silent);
			return TraditionalTwiml.gather(base, STILL_THERE, settings);
		}
		if (conversation.turns() >= this.properties.maxTurns()) {
			return end(callSid, "turn limit", conversation, GOODBYE, now);
		}
		String said = clip(speech.strip(), MAX_SPEECH_CHARS);
		long started = System.nanoTime();
		Reply reply;
		// the upstream (and its key) is the profile's as it is now: keys are never stored
		Upstream upstream = this.profiles.forStream(settings.profile(), settings.plan()).upstream();
		try {
			reply = this.replier.reply(upstream, messages(settings, conversation, said));
		}
		catch (ReplyFailedException ex) {
			this.turns.turn(TurnMetrics.Outcome.FAILED);
			log.warn("[Traditional] callSid={} turn {}: no reply ({}); apologising and listening again", callSid,
					conversation.turns() + 1, ex.getMessage());
			save(callSid, conversation.unanswered(now));
			return TraditionalTwiml.gather(base, APOLOGY, settings);
		}
		this.turns.turn(TurnMetrics.Outcome.ANSWERED);
		String text = clip(reply.text(), MAX_REPLY_CHARS);
		CallTally tally = conversation.totals().plus(reply.usage(), this.insight.count(upstream.textModel(), reply.usage()));
		Conversation next = conversation.answered(said, text, now)
			.bounded(this.properties.maxHistory(), this.properties.maxHistoryChars())
			.withTally(tally);
		save(callSid, next);
		log.info("[Traditional] callSid={} turn {}: {} heard, {} chars replied in {} ms", callSid, next.turns(),
				keypad ? "a keypad entry of " + digits.length() + " key(s)" : said.length() + " chars", text.length(),
				(System.nanoTime() - started) / 1_000_000);
		return TraditionalTwiml.gather(base, text, settings);
	}

	/** A conversation lost from the shared state starts again with the profile the action names. */
	private Conversation rebuilt(CallProfile named, long now) {
		return Conversation.start(now, TurnSettings.of(named, this.insight.keypadToAgent(named), 0));
	}

	/** A conversation stored before profiles gets the default profile's. */
	private TurnSettings settingsOf(Conversation conversation, long now) {
		if (conversation.settings() != null) {
			return conversation.settings();
		}
		CallProfile profile = this.profiles.defaultProfile();
		return TurnSettings.of(profile, this.insight.keypadToAgent(profile), 0);
	}

	/** Counts the ends of conversations that went idle: the caller hung up between turns. */
	void endIdleConversations() {
		try {
			long now = this.clock.millis();
			for (ConversationStore.Idle idle : this.store.endIdle(now)) {
				log.info("[Traditional] callSid={} ended: no turn for {}", idle.callSid(), this.properties.conversationTtl());
				TurnSettings settings = settingsOf(idle.conversation(), now);
				this.metrics.traditionalCallEnded(settings.profile(), CallOutcome.CALLER_HUNG_UP);
				this.insight.publish(idle.callSid(), idle.conversation(), settings, CallOutcome.CALLER_HUNG_UP,
						idle.conversation().updatedAt());
			}
		}
		catch (RuntimeException ex) {
			// a scheduled task that throws is never run again
			log.warn("[Traditional] the sweep of idle conversations failed, it runs again later: {}", ex.toString());
		}
	}

	private static List<Message> messages(TurnSettings settings, Conversation conversation, String said) {
		List<Message> messages = new ArrayList<>(conversation.messages().size() + 2);
		messages.add(Message.system(settings.instructions()));
		messages.addAll(conversation.messages());
		messages.add(Message.user(said));
		return messages;
	}

	/** The agent ends the call with {@code goodbye}; the one instance that ends it counts and records it. */
	private String end(String callSid, String why, Conversation conversation, String goodbye, long now) {
		TurnSettings settings = settingsOf(conversation, now);
		if (this.store.end(callSid)) {
			this.metrics.traditionalCallEnded(settings.profile(), CallOutcome.COMPLETED);
			this.insight.publish(callSid, conversation, settings, CallOutcome.COMPLETED, now);
		}
		log.info("[Traditional] callSid={} ended by the agent ({})", callSid, why);
		return TraditionalTwiml.goodbye(goodbye, settings);
	}

	private void save(String callSid, Conversation conversation) {
		this.store.save(callSid, conversation);
	}

	private static String clip(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
