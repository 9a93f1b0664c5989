package dev.voicebridge.profiles;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.voicebridge.config.AgentProperties;
import dev.voicebridge.config.BridgeProperties;
import dev.voicebridge.config.InvalidSettingException;
import dev.voicebridge.config.OpenAiProperties;

/**
 * The profiles in force, and how a call picks one: the webhook's {@code businessId}, then the
 * called number, then the default. A reload swaps the whole set at once, and only for a file
 * that validates; calls in progress keep the {@link CallProfile} they started with.
 */
public class Profiles {

	private static final Logger log = LoggerFactory.getLogger(Profiles.class);

	/** An unknown {@code businessId} is logged at most this often: a misconfigured line must not flood the log. */
	static final Duration UNKNOWN_WARN_INTERVAL = Duration.ofMinutes(1);

	static final String PROPERTY = "voicebridge.profiles.file";

	/** The webhook URL's parameter that names a call's business: its profile id. */
	public static final String BUSINESS_PARAMETER = "businessId";

	/** The webhook URL's parameter that names a plan of the profile. */
	public static final String PLAN_PARAMETER = "plan";

	/** The stream's {@code <Parameter>} that carries the profile the webhook chose. */
	public static final String PROFILE_PARAMETER = "profile";

	private final Path file;

	private final ProfileSet.Environment environment;

	private final Clock clock;

	private final MeterRegistry meters;

	private volatile ProfileSet current;

	/** The bytes of the file in force, or of the last one refused, so an unchanged file is not read twice. */
	private volatile byte[] lastSeen;

	/** The bytes of the file in force. */
	private volatile byte[] inForce;

	private volatile ReloadStatus lastReload;

	private final Counter applied;

	private final Counter refused;

	private final Map<String, Counter> unknown = new ConcurrentHashMap<>();

	private final AtomicLong lastUnknownWarn = new AtomicLong(Long.MIN_VALUE);

	/** Without a file: the environment's settings as the only profile (tests and benchmarks build it so). */
	public static Profiles implicit(AgentProperties agent, OpenAiProperties openai, BridgeProperties.Fallback fallback,
			MeterRegistry meters) {
		return new Profiles(null, new ProfileSet.Environment(agent, openai, fallback, (name) -> null, openai.enabled()),
				meters, Clock.systemUTC());
	}

	/** Loads the file once; an invalid one stops start-up with a message naming the file, profile and key. */
	Profiles(Path file, ProfileSet.Environment environment, MeterRegistry meters, Clock clock) {
		this.file = file;
		this.environment = environment;
		this.clock = clock;
		this.meters = meters;
		if (file == null) {
			this.current = ProfileSet.implicit(environment);
		}
		else {
			byte[] bytes;
			try {
				bytes = ProfileFile.read(file);
				this.current = ProfileSet.build(ProfileFile.parse(bytes), environment);
			}
			catch (ProfileFileException ex) {
				throw new InvalidSettingException(PROPERTY, file + " " + ex.getMessage());
			}
			this.lastSeen = bytes;
			this.inForce = bytes;
			log.info("[Profiles] loaded {} profile(s) from {}: {} (default {})", this.current.resolved().size(), file,
					String.join(", ", this.current.resolved().keySet()), this.current.defaultId());
		}
		this.lastReload = new ReloadStatus("loaded", null, this.clock.instant());
		this.applied = reloads(meters, "applied");
		this.refused = reloads(meters, "refused");
		Gauge.builder("voicebridge.profiles.file.valid", this, (profiles) -> profiles.lastReload.refused() ? 0 : 1)
			.description("1 while the profiles file on disk is the one in force; 0 after a change was refused")
			.register(meters);
		Gauge.builder("voicebridge.profiles", this, (profiles) -> profiles.current.resolved().size())
			.description("Profiles in force")
			.register(meters);
	}

	private static Counter reloads(MeterRegistry meters, String outcome) {
		return Counter.builder("voicebridge.profiles.reloads")
			.description("Changes of the profiles file: applied, or refused because the new file did not validate")
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * The profile of a new call. {@code businessId} and {@code plan} are the webhook's parameters
	 * (either may be null), {@code lineNumber} the business's own number ({@code To} of an
	 * incoming call, {@code From} of an outbound one).
	 */
	public Selection select(String businessId, String plan, String lineNumber) {
		ProfileSet set = this.current;
		String id;
		String reason;
		if (businessId != null && set.hasProfile(businessId)) {
			id = businessId;
			reason = "business";
		}
		else {
			if (businessId != null) {
				unknown("businessId", businessId, set.defaultId());
			}
			String byNumber = set.profileForNumber(lineNumber);
			id = (byNumber != null) ? byNumber : set.defaultId();
			reason = (byNumber != null) ? "number" : "default";
		}
		CallProfile profile = set.profile(id, plan);
		if (profile == null) {
			unknown("plan", plan, id);
			profile = set.profile(id, null);
		}
		return new Selection(profile, reason);
	}

	/**
	 * The profile a stream's {@code <Parameter>}s name; the default when they name none (a stream
	 * not set up by our webhook) or one a reload has removed since.
	 */
	public CallProfile forStream(String id, String plan) {
		ProfileSet set = this.current;
		CallProfile profile = set.profile(id, plan);
		if (profile == null && id != null && set.hasProfile(id)) {
			profile = set.profile(id, null);
		}
		if (profile == null) {
			if (id != null) {
				unknown("profile", id, set.defaultId());
			}
			profile = set.defaultProfile();
		}
		return profile;
	}

	/** The ids of the profiles in force. */
	public Set<String> ids() {
		return this.current.resolved().keySet();
	}

	/** The default profile, which a call has before its start names its own. */
	public CallProfile defaultProfile() {
		return this.current.defaultProfile();
	}

	/** Whether every call gets the same profile (no file, or one profile without plans). */
	public boolean isSingle() {
		return this.current.isSingle();
	}

	/** Reads the file again; applies it if it changed and validates. */
	public synchronized ReloadStatus reload() {
		if (this.file == null) {
			return new ReloadStatus("no-file", "PROFILES_FILE is not set: every call uses the environment's settings",
					this.clock.instant());
		}
		byte[] bytes;
		ProfileSet next;
		try {
			bytes = ProfileFile.read(this.file);
		}
		catch (ProfileFileException ex) {
			return refuse(null, ex);
		}
		try {
			next = ProfileSet.build(ProfileFile.parse(bytes), this.environment);
		}
		catch (ProfileFileException ex) {
			return refuse(bytes, ex);
		}
		this.current = next;
		this.lastSeen = bytes;
		this.inForce = bytes;
		this.applied.increment();
		this.lastReload = new ReloadStatus("applied", null, this.clock.instant());
		log.info("[Profiles] reloaded {}: {} profile(s): {} (default {}); calls in progress keep theirs", this.file,
				next.resolved().size(), String.join(", ", next.resolved().keySet()), next.defaultId());
		return this.lastReload;
	}

	/** For the watch: reloads only when the file's bytes differ from the last seen. */
	synchronized void reloadIfChanged() {
		if (this.file == null) {
			return;
		}
		byte[] bytes;
		try {
			bytes = ProfileFile.read(this.file);
		}
		catch (ProfileFileException ex) {
			if (!this.lastReload.refused()) {
				refuse(null, ex);
			}
			return;
		}
		if (this.lastReload.refused() && Arrays.equals(bytes, this.inForce)) {
			// the file is back to the one in force (a replace caught half-way, a change undone)
			this.lastSeen = bytes;
			this.lastReload = new ReloadStatus("restored", null, this.clock.instant());
			log.info("[Profiles] {} is again the file in force", this.file);
		}
		else if (!Arrays.equals(bytes, this.lastSeen)) {
			reload();
		}
	}

	private ReloadStatus refuse(byte[] bytes, ProfileFileException ex) {
		if (bytes != null) {
			this.lastSeen = bytes;
		}
		this.refused.increment();
		String error = this.file + " " + ex.getMessage();
		this.lastReload = new ReloadStatus("refused", error, this.clock.instant());
		log.error("[Profiles] refused the changed profiles file; the profiles in force stay as they were: {}", error);
		return this.lastReload;
	}

	private void unknown(String parameter, String value, String instead) {
		this.unknown
			.computeIfAbsent(parameter, (name) -> Counter.builder("voicebridge.profiles.unknown")
				.description("Calls whose businessId, plan or stream profile named nothing in the profiles file")
				.tag("parameter", name)
				.register(this.meters))
			.increment();
		long now = this.clock.millis();
		long last = this.lastUnknownWarn.get();
		if (now - last >= UNKNOWN_WARN_INTERVAL.toMillis() && this.lastUnknownWarn.compareAndSet(last, now)) {
			log.warn("[Profiles] unknown {} '{}': using {} (counted in voicebridge.profiles.unknown; this warning is "
					+ "logged at most once a minute)", parameter, clip(value), instead);
		}
	}

	private static String clip(String value) {
		String printable = value.replaceAll("[^\\x20-\\x7E]", "?");
		return (printable.length() <= 64) ? printable : printable.substring(0, 64) + "...";
	}

	/** The file, or null without one. */
	public Path file() {
		return this.file;
	}

	public ReloadStatus lastReload() {
		return this.lastReload;
	}

	ProfileSet current() {
		return this.current;
	}

	/** A call's profile and why it got it: {@code business}, {@code number} or {@code default}. */
	public record Selection(CallProfile profile, String reason) {
	}

	/**
	 * The last load or reload: {@code loaded} (at start-up), {@code applied}, {@code refused} (with
	 * the error; the profiles before it stay in force) or {@code no-file}.
	 */
	public record ReloadStatus(String outcome, String error, Instant at) {

		public boolean refused() {
			return "refused".equals(this.outcome);
		}

	}

}
