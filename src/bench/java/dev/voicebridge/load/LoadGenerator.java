package dev.voicebridge.load;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drives a voice-bridge (or any Twilio Media Streams server, such as Twilio's Node sample) with N
 * concurrent phone calls made exactly as Twilio makes them, through an in-process fake OpenAI
 * Realtime server that echoes caller audio, and measures per frame what the server adds. With
 * {@code --echo}, drives an echo path instead ({@link EchoMode}). See docs/benchmarks.md for the
 * method; {@code scripts/load-test.sh --help} for the options.
 */
public final class LoadGenerator {

	/** Kept: java.util.logging holds loggers weakly, and a collected one forgets its level. */
	private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

	/** The audio event of OpenAI's GA Realtime interface, the one the bridge reads. */
	static final String GA_DELTA = "response.output_audio.delta";

	/** The image's flags (docker/entrypoint.sh) in a 512 MB container. */
	static final String DEFAULT_FLAGS = "-XX:+UseSerialGC -XX:MaxRAM=512m -XX:MaxRAMPercentage=60 "
			+ "-XX:InitialRAMPercentage=15 -Xss512k -XX:+ExitOnOutOfMemoryError";

	private final Options options;

	private final PrintStream out = System.out;

	private final HttpClient http;

	private final ExecutorService callbacks = Executors.newFixedThreadPool(2);

	private final List<Target> targets = new ArrayList<>();

	private LoadGenerator(Options options) {
		this.options = options;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.executor(this.callbacks)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	public static void main(String[] args) throws Exception {
		TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
		Options options = Options.parse(args);
		if (options == null) {
			System.out.println(Options.HELP);
			return;
		}
		if (options.chartFrom != null) {
			List<Result> results = new ArrayList<>();
			for (String csv : options.chartFrom.split(",")) {
				results.addAll(Results.read(Path.of(csv)));
			}
			Path chart = options.out.resolve("chart.svg");
			Files.createDirectories(options.out);
			Results.chart(chart, results);
			System.out.println(Results.medians(results));
			System.out.println("chart: " + chart);
			return;
		}
		LoadGenerator generator = new LoadGenerator(options);
		try {
			generator.run();
		}
		finally {
			generator.shutdown();
		}
		System.exit(0);
	}

	private void run() throws Exception {
		if (this.options.echo != null) {
			new EchoMode(this.options, this.http).run();
			return;
		}
		Files.createDirectories(this.options.out);
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path results = this.options.out.resolve("load-" + stamp + ".csv");
		this.targets.add(startBridge());
		if (this.options.nodeSample != null) {
			this.targets.add(startNodeSample());
		}
		List<Result> all = new ArrayList<>();
		if (this.options.warmup > 0) {
			for (Target target : this.targets) {
				this.out.printf("warm-up %s: %d calls for %d s (not measured)%n", target.label,
						this.options.warmupCalls, this.options.warmup);
				runCalls(target, this.options.warmupCalls, 0, this.options.warmup, 1, 0);
			}
		}
		for (int calls : this.options.calls) {
			for (int run = 1; run <= this.options.runs; run++) {
				// alternate the targets run by run, so that neither always goes first
				for (Target target : this.targets) {
					List<Result> slices = runCalls(target, calls, this.options.settle, this.options.seconds,
							this.options.slices, run);
					for (Result result : slices) {
						this.out.println(result.summary());
					}
					all.addAll(slices);
				}
			}
		}
		Results.write(results, all);
		Path chart = results.resolveSibling(results.getFileName().toString().replace(".csv", ".svg"));
		Results.chart(chart, all);
		this.out.println();
		this.out.println(Results.medians(all));
		this.out.printf("results: %s%nchart:   %s%n", results, chart);
	}

	/** The bridge under test: one started here from the jar, or one already running. */
	private Target startBridge() throws Exception {
		EchoUpstream upstream = new EchoUpstream(this.options.upstreamPort, GA_DELTA);
		this.out.printf("fake OpenAI Realtime (echo) at %s%n", upstream.url());
		if (this.options.targetUrl != null) {
			return new Target(this.options.label, this.options.targetUrl, this.options.webhookPath, upstream,
					new ProcessProbe(this.options.pid, null), null);
		}
		int port = freePort();
		Path gcLog = this.options.out.resolve("bridge-gc.log");
		Files.deleteIfExists(gcLog);
		List<String> command = new ArrayList<>();
		command.add(this.options.java);
		command.addAll(Arrays.asList(this.options.jvmFlags.trim().split("\\s+")));
		command.add("-Xlog:gc:file=" + gcLog.toAbsolutePath());
		command.add("-jar");
		command.add(this.options.jar.toString());
		ProcessBuilder builder = new ProcessBuilder(command);
		if (this.options.workdir != null) {
			builder.directory(this.options.workdir.toFile());
		}
		bridgeEnvironment(builder, port, upstream.url(), this.options.authToken);
		return launch(this.options.label, builder, port, "/twilio/voice", "/actuator/health/readiness", upstream,
				gcLog);
	}

	/** What the bridge is started with: its port, the fake upstream, and no public URL or Redis. */
	static void bridgeEnvironment(ProcessBuilder builder, int port, String upstreamUrl, String authToken) {
		Map<String, String> env = builder.environment();
		env.put("PORT", Integer.toString(port));
		env.put("OPENAI_API_KEY", "sk-load-test-not-a-key");
		env.put("OPENAI_REALTIME_URL", upstreamUrl);
		env.put("TWILIO_AUTH_TOKEN", authToken);
		env.remove("PUBLIC_URL");
		env.remove("REDIS_URL");
	}

	/**
	 * Twilio's Node sample, from a copy whose OpenAI URL reads {@code OPENAI_REALTIME_URL}
	 * (scripts/node-sample.sh prepares it). Since its commit of 28 August 2025 it speaks the GA
	 * interface, as the bridge does; {@code --delta-type} serves an older, beta checkout.
	 */
	private Target startNodeSample() throws Exception {
		Path commit = this.options.nodeSample.resolve("COMMIT");
		if (Files.exists(commit)) {
			this.out.printf("node-sample: %s%n", String.join(", ", Files.readAllLines(commit)));
		}
		EchoUpstream upstream = new EchoUpstream(0, this.options.deltaType);
		int port = freePort();
		ProcessBuilder builder = new ProcessBuilder("node", "index.js").directory(this.options.nodeSample.toFile());
		builder.environment().put("PORT", Integer.toString(port));
		builder.environment().put("OPENAI_API_KEY", "sk-load-test-not-a-key");
		builder.environment().put("OPENAI_REALTIME_URL", upstream.url());
		return launch("node-sample", builder, port, "/incoming-call", "/", upstream, null);
	}

	private Target launch(String label, ProcessBuilder builder, int port, String webhookPath, String readyPath,
			EchoUpstream upstream, Path gcLog) throws Exception {
		builder.redirectErrorStream(true);
		builder.redirectOutput(this.options.out.resolve(label + ".log").toFile());
		long launched = System.nanoTime();
		Process process = builder.start();
		Target target = new Target(label, "http://127.0.0.1:" + port, webhookPath, upstream,
				new ProcessProbe(process.pid(), gcLog), process);
		long deadline = launched + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(label + " exited with " + process.exitValue() + ": see "
						+ this.options.out.resolve(label + ".log"));
			}
			try {
				HttpResponse<Void> health = this.http.send(
						HttpRequest.newBuilder(URI.create(target.baseUrl + readyPath)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (health.statusCode() == 200) {
					this.out.printf("%s (pid %d) ready after %.1f s at %s%n", label, process.pid(),
							(System.nanoTime() - launched) / 1e9, target.baseUrl);
					return target;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException(label + " was not ready within 120 s");
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Dials {@code calls} calls (at most {@code rampPerSecond} a second), lets them stream for
	 * {@code settle} seconds, measures {@code seconds} seconds in {@code slices} equal windows,
	 * then hangs up.
	 */
	private List<Result> runCalls(Target target, int calls, int settle, int seconds, int slices, int run)
			throws Exception {
		EchoUpstream upstream = target.upstream;
		int rampSeconds = (calls + this.options.rampPerSecond - 1) / this.options.rampPerSecond;
		int capacity = (rampSeconds + settle + seconds + 5) * 50;
		FrameLog frames = new FrameLog(calls, capacity);
		upstream.use(frames);
		ScheduledExecutorService pacer = Executors.newScheduledThreadPool(this.options.pacers);
		List<SimulatedCall> dialled = new ArrayList<>();
		List<ScheduledFuture<?>> pacing = new ArrayList<>();
		Semaphore dialling = new Semaphore(32);
		List<CompletableFuture<SimulatedCall>> answers = new ArrayList<>();
		long rampStart = System.nanoTime();
		String webhook = target.baseUrl + target.webhookPath;
		for (int i = 0; i < calls; i++) {
			long due = rampStart + (long) i * 1_000_000_000L / this.options.rampPerSecond;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			dialling.acquire();
			SimulatedCall call = new SimulatedCall(i, frames);
			long offset = (long) i * 20_000L / calls;
			dialled.add(call);
			CompletableFuture<SimulatedCall> answer = call.dial(this.http, webhook, this.options.authToken)
				.whenComplete((c, ex) -> dialling.release());
			answers.add(answer.thenApply((c) -> {
				// spread the calls' frames over the 20 ms period, as independent phones would
				synchronized (pacing) {
					c.paceFrom(offset);
					pacing.add(pacer.scheduleAtFixedRate(c::frame, offset, 20_000, TimeUnit.MICROSECONDS));
				}
				return c;
			}));
		}
		int failed = 0;
		for (CompletableFuture<SimulatedCall> answer : answers) {
			try {
				answer.get(60, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				if (failed++ == 0) {
					this.out.println("  a call failed to connect: " + ex.getCause());
				}
			}
		}
		TimeUnit.SECONDS.sleep(settle);
		// a call the server closed before the window is a failed call, not a quiet one
		for (SimulatedCall call : dialled) {
			if (call.closed && call.closeCode != 0) {
				if (failed++ == 0) {
					this.out.println("  the server closed a call before the window, code " + call.closeCode);
				}
			}
		}
		List<long[]> bounds = new ArrayList<>();
		List<double[]> usage = new ArrayList<>();
		double generatorStart = generatorCpuSeconds();
		target.probe.markGc();
		List<ProcessProbe.GcPauses> gcs = new ArrayList<>();
		long sliceNanos = TimeUnit.SECONDS.toNanos(seconds) / slices;
		for (int s = 0; s < slices; s++) {
			long from = System.nanoTime();
			double cpuFrom = target.probe.cpuSeconds();
			TimeUnit.NANOSECONDS.sleep(sliceNanos);
			long to = System.nanoTime();
			double cpuTo = target.probe.cpuSeconds();
			bounds.add(new long[] { from, to });
			usage.add(new double[] { cpuTo - cpuFrom, target.probe.rssMiB(), target.probe.peakRssMiB(),
					target.probe.threads() });
			gcs.add(target.probe.gcPauses());
		}
		double generatorCpu = generatorCpuSeconds() - generatorStart;
		// let the last frames of the window come back before reading the log
		TimeUnit.SECONDS.sleep(2);
		synchronized (pacing) {
			pacing.forEach((task) -> task.cancel(false));
		}
		pacer.shutdown();
		pacer.awaitTermination(10, TimeUnit.SECONDS);
		List<CompletableFuture<?>> hangUps = new ArrayList<>();
		for (SimulatedCall call : dialled) {
			if (call.handshakeNanos > 0) {
				hangUps.add(call.hangUp());
			}
		}
		CompletableFuture.allOf(hangUps.toArray(CompletableFuture[]::new))
			.completeOnTimeout(null, 10, TimeUnit.SECONDS)
			.exceptionally((ex) -> null)
			.join();
		upstream.use(null);
		if (upstream.refusedUpdates() > 0) {
			this.out.printf("  %s: the fake refused %d session.update events so far (not the GA shape)%n", target.label,
					upstream.refusedUpdates());
		}
		long[] webhooks = dialled.stream().mapToLong((c) -> c.webhookNanos).filter((n) -> n > 0).toArray();
		long[] handshakes = dialled.stream().mapToLong((c) -> c.handshakeNanos).filter((n) -> n > 0).toArray();
		long[] firstAudio = dialled.stream().mapToLong(SimulatedCall::firstAudioNanos).filter((n) -> n > 0).toArray();
		List<Result> results = new ArrayList<>();
		for (int s = 0; s < slices; s++) {
			long[] window = bounds.get(s);
			double wall = (window[1] - window[0]) / 1e9;
			double[] use = usage.get(s);
			results.add(new Result(target.label, calls, run, s + 1, wall, failed, frames.window(calls, window[0], window[1]),
					use[0] / wall, use[0] * 1000 / (calls * wall), use[1], use[2], (int) use[3], gcs.get(s),
					generatorCpu / (seconds), FrameLog.Percentiles.of(webhooks, webhooks.length),
					FrameLog.Percentiles.of(handshakes, handshakes.length),
					FrameLog.Percentiles.of(firstAudio, firstAudio.length)));
		}
		// give the bridge a moment to end the calls before the next run dials
		long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (upstream.openConnections() > 0 && System.nanoTime() < quiet) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
		awaitIdle(target);
		return results;
	}

	/**
	 * Waits until the server's process has used under a tenth of a core for a second (at most
	 * 30 s): a server that fell behind (the Node sample beyond its one thread) is still working
	 * off its backlog when the calls have hung up, and would otherwise share the cores with the
	 * next run, of either server.
	 */
	private void awaitIdle(Target target) throws InterruptedException {
		long began = System.nanoTime();
		long deadline = began + TimeUnit.SECONDS.toNanos(30);
		double cpu = target.probe.cpuSeconds();
		while (true) {
			TimeUnit.SECONDS.sleep(1);
			double now = target.probe.cpuSeconds();
			if (now - cpu < 0.1) {
				break;
			}
			cpu = now;
			if (System.nanoTime() > deadline) {
				this.out.printf("  %s still busy 30 s after its calls ended; measuring on%n", target.label);
				return;
			}
		}
		long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
		if (waited > 1) {
			this.out.printf("  %s was busy for %d s after its calls ended%n", target.label, waited);
		}
	}

	static double generatorCpuSeconds() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime() / 1e9;
	}

	private void shutdown() throws Exception {
		for (Target target : this.targets) {
			if (target.process != null) {
				target.process.destroy();
				if (!target.process.waitFor(30, TimeUnit.SECONDS)) {
					target.process.destroyForcibly();
				}
			}
			target.upstream.close();
		}
		this.callbacks.shutdownNow();
	}

	/** A server under load, its fake upstream and the probe of its process. */
	private record Target(String label, String baseUrl, String webhookPath, EchoUpstream upstream, ProcessProbe probe,
			Process process) {
	}

	/** One measured window. */
	record Result(String label, int calls, int run, int slice, double seconds, int failedCalls, FrameLog.Window frames,
			double cpuCores, double cpuMsPerCallSecond, double rssMiB, double peakRssMiB, int threads,
			ProcessProbe.GcPauses gc, double generatorCores, FrameLog.Percentiles webhook,
			FrameLog.Percentiles handshake, FrameLog.Percentiles firstAudio) {

		String summary() {
			FrameLog.Percentiles rt = this.frames.roundTrip();
			return String.format(Locale.ROOT,
					"%-12s calls=%4d run=%d slice=%d | round trip ms p50 %.2f p99 %.2f p99.9 %.2f max %.1f"
							+ " | in p50 %.2f p99 %.2f | out p50 %.2f p99 %.2f | lost %d+%d/%d reordered %d"
							+ " | cpu %.2f cores %.2f ms/call-s | rss %.0f MiB threads %d | gc %d pauses %.0f ms max %.1f"
							+ " | handshake p50 %.0f ms first audio p50 %.0f ms | generator %.2f cores",
					this.label, this.calls, this.run, this.slice, rt.p50(), rt.p99(), rt.p999(), rt.max(),
					this.frames.inbound().p50(), this.frames.inbound().p99(), this.frames.outbound().p50(),
					this.frames.outbound().p99(), this.frames.lostUpstream(), this.frames.lostBack(),
					this.frames.frames(), this.frames.reordered(), this.cpuCores, this.cpuMsPerCallSecond, this.rssMiB,
					this.threads, this.gc.count(), this.gc.totalMs(), this.gc.maxMs(), this.handshake.p50(),
					this.firstAudio.p50(), this.generatorCores);
		}

	}

	/** Command-line options. */
	static final class Options {

		static final String HELP = """
				Usage: scripts/load-test.sh [options]
				  --calls 10,100,500,1000   concurrent calls, one measured series per value
				  --seconds 20              measured seconds per run
				  --runs 3                  runs per value (report the median)
				  --settle 5                seconds of streaming after the last call connects, before measuring
				  --slices 1                split each measured window into this many (e.g. 6 for the first minute)
				  --warmup 20               seconds of warm-up before the first measured run (0: measure cold)
				  --warmup-calls 100        calls during the warm-up
				  --ramp 200                calls dialled per second
				  --pacers 2                threads that send the callers' frames
				  --jar target/voice-bridge.jar   the bridge to start (with --java and --jvm-flags)
				  --java PATH               the java to run it with (default: this JVM's)
				  --workdir DIR             the directory to start it in (--jar is then relative to it), e.g. the
				                            container layout of scripts/container-start.sh with its AOT cache
				  --jvm-flags "FLAGS"       default: the container's (%s)
				  --target URL --pid PID    drive a bridge that is already running instead (its PID for CPU and RSS)
				  --node-sample DIR         also run Twilio's Node sample from DIR in the same run, alternating
				                            (scripts/node-sample.sh prepares DIR from a checkout of it)
				  --webhook-path /twilio/voice   its webhook (the Node sample: /incoming-call)
				  --upstream-port 0         port of the fake OpenAI server (fixed for a server started by hand)
				  --delta-type response.output_audio.delta   the Node sample's audio event (response.audio.delta
				                            for a checkout older than its GA update of August 2025)
				  --auth-token TOKEN        the Twilio auth token the requests are signed with
				  --label NAME              names the series in the results and chart
				  --out target/load         where the results CSV, chart SVG and bridge logs go
				  --chart-from A.csv,B.csv  only draw one chart (OUT/chart.svg) from earlier results files
				Echo mode (the Twilio-facing socket stack alone, no relay):
				  --echo [PATH]             N WebSockets to PATH (default /test-websocket), each sending a Twilio media
				                            message every 20 ms; round trip, losses, the server's CPU per echoed message,
				                            RSS and threads; results to OUT/echo-*.csv. --calls (or --connections) is the
				                            number of sockets (default 100); --seconds, --runs, --settle, --warmup,
				                            --warmup-calls, --ramp, --pacers, --java, --jvm-flags, --jar as above
				  --servers service,tomcat  the servers to start and alternate run by run: service (the jar's own
				                            /test-websocket), tomcat, tomcat-async, jetty, jetty-async, netty (the echo
				                            apps of dev.voicebridge.echo; -async sends without blocking), node-ws (Node's
				                            ws library, src/bench/node/echo.js, after npm install --prefix
				                            target/node-echo ws@8); or --target URL --pid PID for one already running
				""".formatted(DEFAULT_FLAGS);

		int[] calls = { 10, 100, 500, 1000 };

		int seconds = 20;

		int runs = 3;

		int settle = 5;

		int slices = 1;

		int warmup = 20;

		int warmupCalls = 100;

		int rampPerSecond = 200;

		int pacers = 2;

		Path jar = Path.of("target/voice-bridge.jar");

		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

		String jvmFlags = DEFAULT_FLAGS;

		String targetUrl;

		long pid;

		String webhookPath = "/twilio/voice";

		int upstreamPort;

		String deltaType = GA_DELTA;

		String authToken = "load-test-auth-token";

		String label = "voice-bridge";

		Path out = Path.of("target/load");

		Path nodeSample;

		Path workdir;

		String chartFrom;

		String echo;

		List<String> servers = List.of("service");

		static Options parse(String[] args) {
			Options options = new Options();
			Map<String, String> given = new LinkedHashMap<>();
			for (int i = 0; i < args.length; i++) {
				if (args[i].equals("--help") || args[i].equals("-h")) {
					return null;
				}
				if (args[i].equals("--echo") && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
					given.put("echo", "/test-websocket");
					continue;
				}
				if (!args[i].startsWith("--") || i + 1 >= args.length) {
					throw new IllegalArgumentException("expected --option value, got " + args[i] + "\n" + HELP);
				}
				given.put(args[i].substring(2), args[++i]);
			}
			given.forEach((name, value) -> {
				switch (name) {
					case "calls", "connections" ->
						options.calls = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
					case "seconds" -> options.seconds = Integer.parseInt(value);
					case "runs" -> options.runs = Integer.parseInt(value);
					case "settle" -> options.settle = Integer.parseInt(value);
					case "slices" -> options.slices = Integer.parseInt(value);
					case "warmup" -> options.warmup = Integer.parseInt(value);
					case "warmup-calls" -> options.warmupCalls = Integer.parseInt(value);
					case "ramp" -> options.rampPerSecond = Integer.parseInt(value);
					case "pacers" -> options.pacers = Integer.parseInt(value);
					case "jar" -> options.jar = Path.of(value);
					case "java" -> options.java = value;
					case "jvm-flags" -> options.jvmFlags = value;
					case "target" -> options.targetUrl = value.replaceAll("/+$", "");
					case "pid" -> options.pid = Long.parseLong(value);
					case "webhook-path" -> options.webhookPath = value;
					case "upstream-port" -> options.upstreamPort = Integer.parseInt(value);
					case "delta-type" -> options.deltaType = value;
					case "auth-token" -> options.authToken = value;
					case "label" -> options.label = value;
					case "out" -> options.out = Path.of(value);
					case "node-sample" -> options.nodeSample = Path.of(value);
					case "workdir" -> options.workdir = Path.of(value);
					case "chart-from" -> options.chartFrom = value;
					case "echo" -> options.echo = value;
					case "servers" -> options.servers = List.of(value.split(","));
					default -> throw new IllegalArgumentException("unknown option --" + name + "\n" + HELP);
				}
			});
			if (options.echo != null && !given.containsKey("calls") && !given.containsKey("connections")) {
				options.calls = new int[] { 100 };
			}
			if (options.targetUrl != null && options.pid <= 0) {
				throw new IllegalArgumentException("--target needs --pid: the CPU and memory measured are that process's");
			}
			return options;
		}

	}

}
