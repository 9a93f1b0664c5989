package dev.voicebridge.traditional;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.voicebridge.shared.FailSoftSharedState;
import dev.voicebridge.shared.SharedState;

/**
 * Traditional-mode conversations in the shared state, one JSON document per CallSid, so a call's
 * turns may land on any instance. Each instance also remembers the calls whose latest turn it
 * served, to notice when one has gone idle (the caller hung up: Twilio tells nobody) and count
 * its end exactly once.
 */
class ConversationStore {

	static final String PREFIX = "traditional:conversation:";

	/** Calls this instance watches for expiry; beyond this, ends go uncounted rather than memory growing. */
	static final int MAX_WATCHED = 100_000;

	private static final Logger log = LoggerFactory.getLogger(ConversationStore.class);

	private final SharedState state;

	private final JsonMapper json;

	private final Duration idle;

	/** CallSid to the time this instance last saved it, epoch milliseconds. */
	private final Map<String, Long> watched = new ConcurrentHashMap<>();

	ConversationStore(SharedState state, JsonMapper json, Duration idle) {
		this.state = FailSoftSharedState.of(state, log, "[Traditional]");
		this.json = json;
		this.idle = idle;
	}

	/** The stored conversation; none when the state does not answer or holds what is no conversation. */
	Optional<Conversation> load(String callSid) {
		Optional<String> stored = this.state.get(PREFIX + callSid);
		try {
			return stored.map((text) -> this.json.readValue(text, Conversation.class));
		}
		catch (JacksonException ex) {
			log.warn("[Traditional] the stored conversation of callSid={} is unreadable, starting afresh: {}", callSid,
					ex.getOriginalMessage());
			return Optional.empty();
		}
	}

	void save(String callSid, Conversation conversation) {
		// kept twice the idle time, so the instance that sweeps an idle call still finds it to delete
		this.state.put(PREFIX + callSid, this.json.writeValueAsString(conversation), this.idle.multipliedBy(2));
		if (this.watched.size() < MAX_WATCHED || this.watched.containsKey(callSid)) {
			this.watched.put(callSid, conversation.updatedAt());
		}
	}

	/** Forgets a conversation that ended; true for the one caller that ended it. */
	boolean end(String callSid) {
		this.watched.remove(callSid);
		return this.state.delete(PREFIX + callSid);
	}

	/**
	 * Ends the watched conversations idle since before {@code now - idle} and returns them. A
	 * conversation another instance touched later is left to that instance.
	 */
	List<Idle> endIdle(long now) {
		List<Idle> ended = new ArrayList<>();
		long cutoff = now - this.idle.toMillis();
		this.watched.forEach((callSid, savedAt) -> {
			if (savedAt > cutoff) {
				return;
			}
			this.watched.remove(callSid, savedAt);
			Optional<Conversation> stored = load(callSid);
			if (stored.isPresent() && stored.get().updatedAt() <= cutoff && this.state.delete(PREFIX + callSid)) {
				ended.add(new Idle(callSid, stored.get()));
			}
		});
		return ended;
	}

	/** A conversation that went idle: its caller hung up between turns. */
	record Idle(String callSid, Conversation conversation) {
	}

	int watchedCount() {
		return this.watched.size();
	}

}
