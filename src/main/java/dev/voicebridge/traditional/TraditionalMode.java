package dev.voicebridge.traditional;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.call.CallMetrics;
import dev.voicebridge.call.CallOutcome;
import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.TraditionalProperties;

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

	private final String instructions;

	private final String greeting;

	private final Clock clock;

	TraditionalMode(ConversationStore store, Replier replier, CallMetrics metrics, TurnMetrics turns,
			TraditionalProperties properties, AgentProperties agent, Clock clock) {
		this.store = store;
		this.replier = replier;
		this.metrics = metrics;
		this.turns = turns;
		this.properties = properties;
		this.instructions = agent.instructions();
		this.greeting = (agent.greeting() != null) ? agent.greeting() : properties.greeting();
		this.clock = clock;
	}

	/**
	 * Starts (or, after a failed stream, continues) a call in traditional mode and answers its
	 * first TwiML. {@code base} is the public base URL the action must point at.
	 */
	public String begin(String callSid, String base, boolean failover) {
		try {
			long now = this.clock.millis();
			Conversation conversation = this.store.load(callSid).orElseGet(() -> Conversation.start(now));
			this.store.save(callSid, conversation.touched(now));
		}
		catch (RuntimeException ex) {
			// the first turn rebuilds what it cannot find; the caller must still be answered now
			log.warn("[Traditional] could not store the conversation of callSid={}: {}", callSid, ex.toString());
		}
		log.info("[Traditional] callSid={} {} in traditional mode (replies: {})", callSid,
				failover ? "continues" : "starts", this.replier.name());
		return TraditionalTwiml.gather(base, failover ? FAILOVER_OPENING : this.greeting);
	}

	/** Answers one caller turn; {@code speech} is Twilio's {@code SpeechResult}, null or blank when silent. */
	String turn(String callSid, String speech, String base) {
		long now = this.clock.millis();
		Conversation conversation;
		try {
			conversation = this.store.load(callSid).orElseGet(() -> Conversation.start(now));
		}
		catch (RuntimeException ex) {
			log.warn("[Traditional] could not load the conversation of callSid={}: {}", callSid, ex.toString());
			conversation = Conversation.start(now);
		}
		if (speech == null || speech.isBlank()) {
			this.turns.turn(TurnMetrics.Outcome.SILENT);
			Conversation silent = conversation.silent(now);
			if (silent.silences() >= this.properties.maxSilences()) {
				return end(callSid, "silence");
			}
			save(callSid, silent);
			return TraditionalTwiml.gather(base, STILL_THERE);
		}
		if (conversation.turns() >= this.properties.maxTurns()) {
			return end(callSid, "turn limit");
		}
		String said = clip(speech.strip(), MAX_SPEECH_CHARS);
		long started = System.nanoTime();
		String reply;
		try {
			reply = clip(this.replier.reply(messages(conversation, said)), MAX_REPLY_CHARS);
		}
		catch (ReplyFailedException ex) {
			this.turns.turn(TurnMetrics.Outcome.FAILED);
			log.warn("[Traditional] callSid={} turn {}: no reply ({}); apologising and listening again", callSid,
					conversation.turns() + 1, ex.getMessage());
			save(callSid, conversation.unanswered(now));
			return TraditionalTwiml.gather(base, APOLOGY);
		}
		this.turns.turn(TurnMetrics.Outcome.ANSWERED);
		Conversation next = conversation.answered(said, reply, now)
			.bounded(this.properties.maxHistory(), this.properties.maxHistoryChars());
		save(callSid, next);
		log.info("[Traditional] callSid={} turn {}: {} chars heard, {} chars replied in {} ms", callSid, next.turns(),
				said.length(), reply.length(), (System.nanoTime() - started) / 1_000_000);
		return TraditionalTwiml.gather(base, reply);
	}

	/** Counts the ends of conversations that went idle: the caller hung up between turns. */
	void endIdleConversations() {
		try {
			for (String callSid : this.store.endIdle(this.clock.millis())) {
				log.info("[Traditional] callSid={} ended: no turn for {}", callSid, this.properties.conversationTtl());
				this.metrics.traditionalCallEnded(CallOutcome.CALLER_HUNG_UP);
			}
		}
		catch (RuntimeException ex) {
			log.warn("[Traditional] could not sweep idle conversations: {}", ex.toString());
		}
	}

	private List<Message> messages(Conversation conversation, String said) {
		List<Message> messages = new ArrayList<>(conversation.messages().size() + 2);
		messages.add(Message.system(this.instructions));
		messages.addAll(conversation.messages());
		messages.add(Message.user(said));
		return messages;
	}

	private String end(String callSid, String why) {
		boolean ended;
		try {
			ended = this.store.end(callSid);
		}
		catch (RuntimeException ex) {
			ended = true;
		}
		if (ended) {
			this.metrics.traditionalCallEnded(CallOutcome.COMPLETED);
		}
		log.info("[Traditional] callSid={} ended by the agent ({})", callSid, why);
		return TraditionalTwiml.goodbye(GOODBYE);
	}

	private void save(String callSid, Conversation conversation) {
		try {
			this.store.save(callSid, conversation);
		}
		catch (RuntimeException ex) {
			log.warn("[Traditional] could not store the conversation of callSid={}: {}", callSid, ex.toString());
		}
	}

	private static String clip(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
