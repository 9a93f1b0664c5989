package dev.voicebridge.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.voicebridge.load.LoadGenerator.Options;

/**
 * The load generator's echo mode: N WebSockets to a server's echo path, each sending a Twilio
 * {@code media} message every 20 ms in real time, spread over the period, and reading the echoes.
 * Measures what the Twilio-facing socket stack alone costs: CPU per echoed message, round trip,
 * losses, memory and threads, for the service's own {@code /test-websocket} and for the echo apps
 * of {@code dev.voicebridge.echo}, one server per candidate, alternating run by run.
 */
final class EchoMode {

	/**
	 * A server that can be started and echoed against: the service's jar ({@code mainClass} null),
	 * an echo app of {@code dev.voicebridge.echo}, or Node's {@code ws} ({@code mainClass} "node").
	 */
	record Server(String name, String mainClass, List<String> args) {

		static final String NODE = "node";

		static final List<Server> KNOWN = List.of(new Server("service", null, List.of()),
				new Server("tomcat", "dev.voicebridge.echo.TomcatEchoApplication", List.of()),
				new Server("tomcat-async", "dev.voicebridge.echo.TomcatEchoApplication", List.of("--echo.send=async")),
				new Server("jetty", "dev.voicebridge.echo.JettyEchoApplication", List.of()),
				new Server("jetty-async", "dev.voicebridge.echo.JettyEchoApplication", List.of("--echo.send=async")),
				new Server("netty", "dev.voicebridge.echo.NettyEchoApplication", List.of()),
				new Server("node-ws", NODE, List.of("src/bench/node/echo.js")));

		static Server named(String name) {
			return KNOWN.stream()
				.filter((s) -> s.name.equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("unknown server " + name + "; known: "
						+ KNOWN.stream().map(Server::name).collect(Collectors.joining(","))));
		}

	}

	/** A started (or given) server: where its echo is and the probe of its process. */
	private record Target(String label, URI echo, ProcessProbe probe, Process process, EchoUpstream upstream) {
	}

	/** One measured window of one server. */
	record Result(String label, String jvm, int connections, int run, double seconds, int failed, int expected,
			FrameLog.Window frames, double cpuCores, double cpuMicrosPerMessage, double systemShare,
			double switchesPerMessage, double rssMiB, double peakRssMiB,
			int threads, ProcessProbe.GcPauses gc, double generatorCores, double generatorMicrosPerMessage) {

		int echoed() {
			return this.frames.frames() - this.frames.lostBack();
		}

		String summary() {
			FrameLog.Percentiles rt = this.frames.roundTrip();
			return String.format(Locale.ROOT,
					"%-13s conns=%4d run=%d | sent %d/%d | round trip ms p50 %.2f p99 %.2f p99.9 %.2f max %.1f"
							+ " | lost %d reordered %d unrecognised %d | cpu %.3f cores %.1f us/msg (%.0f %% system)"
							+ " %.2f switches/msg"
							+ " | rss %.0f MiB threads %d | gc %d pauses max %.1f ms | generator %.2f cores %.1f us/msg",
					this.label, this.connections, this.run, this.frames.frames(), this.expected, rt.p50(), rt.p99(),
					rt.p999(), rt.max(), this.frames.lostBack(), this.frames.reordered(), this.frames.unrecognised(),
					this.cpuCores, this.cpuMicrosPerMessage, 100 * this.systemShare, this.switchesPerMessage, this.rssMiB, this.threads, this.gc.count(),
					this.gc.maxMs(), this.generatorCores, this.generatorMicrosPerMessage);
		}

	}

	private final Options options;

	private final HttpClient http;

	private final PrintStream out = System.out;

	private final List<Target> targets = new ArrayList<>();

	EchoMode(Options options, HttpClient http) {
		this.options = options;
		this.http = http;
	}

	void run() throws Exception {
		Files.createDirectories(this.options.out);
		String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
		Path csv = this.options.out.resolve("echo-" + stamp + ".csv");
		// a generator stopped by a signal must not leave its servers running
		Thread reaper = new Thread(() -> this.targets.forEach((t) -> {
			if (t.process != null) {
				t.process.destroyForcibly();
			}
		}));
		Runtime.getRuntime().addShutdownHook(reaper);
		try {
			if (this.options.targetUrl != null) {
				URI echo = URI.create(this.options.targetUrl.replaceFirst("^http", "ws") + this.options.echo);
				this.targets.add(new Target(this.options.label, echo, new ProcessProbe(this.options.pid, null), null,
						null));
			}
			else {
				for (String name : this.options.servers) {
					start(Server.named(name));
				}
			}
			if (this.options.warmup > 0) {
				for (Target target : this.targets) {
					this.out.printf("warm-up %s: %d connections for %d s (not measured)%n", target.label,
							this.options.warmupCalls, this.options.warmup);
					echo(target, this.options.warmupCalls, 0, this.options.warmup, 0);
				}
			}
			List<Result> all = new ArrayList<>();
			for (int connections : this.options.calls) {
				for (int run = 1; run <= this.options.runs; run++) {
					// alternate the servers run by run, so that drift hits all alike
					for (Target target : this.targets) {
						Result result = echo(target, connections, this.options.settle, this.options.seconds, run);
						this.out.println(result.summary());
						all.add(result);
						EchoResults.write(csv, all);
					}
				}
			}
			this.out.println();
			this.out.println(EchoResults.medians(all));
			this.out.printf("results: %s%n", csv);
		}
		finally {
			stop();
		}
	}

	/** Starts the server and waits until it is ready; stopped with the others even if it never is. */
	private void start(Server server) throws Exception {
		int port = LoadGenerator.freePort();
		Path gcLog = this.options.out.resolve(server.name + "-gc.log").toAbsolutePath();
		Files.deleteIfExists(gcLog);
		List<String> command = new ArrayList<>();
		command.add(this.options.java);
		command.addAll(Arrays.asList(this.options.jvmFlags.trim().split("\\s+")));
		command.add("-Xlog:gc:file=" + gcLog);
		EchoUpstream upstream = null;
		ProcessBuilder builder;
		if (Server.NODE.equals(server.mainClass)) {
			builder = new ProcessBuilder("node", server.args.get(0));
			builder.environment().put("PORT", Integer.toString(port));
			builder.environment().put("NODE_PATH", Path.of("target/node-echo/node_modules").toAbsolutePath().toString());
			gcLog = null;
		}
		else if (server.mainClass == null) {
			// the service itself, as the call mode starts it (its start-up warms /test-websocket)
			upstream = new EchoUpstream(0, this.options.deltaType);
			command.add("-jar");
			command.add(this.options.jar.toString());
			builder = new ProcessBuilder(command);
			LoadGenerator.bridgeEnvironment(builder, port, upstream.url(), this.options.authToken);
		}
		else {
			String classpath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
				.map((entry) -> Path.of(entry).toAbsolutePath().toString())
				.collect(Collectors.joining(java.io.File.pathSeparator));
			command.add("-cp");
			command.add(classpath);
			command.add(server.mainClass);
			command.addAll(server.args);
			builder = new ProcessBuilder(command);
			builder.environment().put("PORT", Integer.toString(port));
		}
		builder.redirectErrorStream(true);
		builder.redirectOutput(this.options.out.resolve(server.name + ".log").toFile());
		long launched = System.nanoTime();
		Process process = builder.start();
		URI echo = URI.create("ws://127.0.0.1:" + port + this.options.echo);
		this.targets.add(new Target(server.name, echo, new ProcessProbe(process.pid(), gcLog), process, upstream));
		long deadline = launched + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(server.name + " exited with " + process.exitValue() + ": see "
						+ this.options.out.resolve(server.name + ".log"));
			}
			if (ready(server, port, echo)) {
				this.out.printf("%s (pid %d) ready after %.1f s at %s%n", server.name, process.pid(),
						(System.nanoTime() - launched) / 1e9, echo);
				return;
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException(server.name + " was not ready within 120 s");
	}

	/** The service is ready when its probe says so (after its warm-ups); an echo app when it greets. */
	private boolean ready(Server server, int port, URI echo) throws InterruptedException {
		try {
			if (server.mainClass == null) {
				HttpResponse<Void> health = this.http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
							.build(),
						HttpResponse.BodyHandlers.discarding());
				return health.statusCode() == 200;
			}
			EchoConnection probe = new EchoConnection(0, new FrameLog(1, 1));
			probe.open(this.http, echo).get(10, TimeUnit.SECONDS);
			probe.close().get(10, TimeUnit.SECONDS);
			return true;
		}
		catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			return false;
		}
	}

	/**
	 * Opens {@code connections} sockets (at most {@code --ramp} a second), lets them echo for
	 * {@code settle} seconds, measures {@code seconds} seconds, then closes them. Run 0 is a warm-up.
	 */
	private Result echo(Target target, int connections, int settle, int seconds, int run) throws Exception {
		int rampSeconds = (connections + this.options.rampPerSecond - 1) / this.options.rampPerSecond;
		FrameLog frames = new FrameLog(connections, (rampSeconds + settle + seconds + 5) * 50);
		ScheduledExecutorService pacer = Executors.newScheduledThreadPool(this.options.pacers);
		List<EchoConnection> opened = new ArrayList<>();
		List<ScheduledFuture<?>> pacing = new ArrayList<>();
		List<CompletableFuture<EchoConnection>> opening = new ArrayList<>();
		long rampStart = System.nanoTime();
		for (int i = 0; i < connections; i++) {
			long wait = rampStart + (long) i * 1_000_000_000L / this.options.rampPerSecond - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			EchoConnection connection = new EchoConnection(i, frames);
			opened.add(connection);
			long offset = (long) i * 20_000L / connections;
			opening.add(connection.open(this.http, target.echo).thenApply((c) -> {
				// spread the connections' messages over the 20 ms period, as independent calls would
				synchronized (pacing) {
					c.paceFrom(offset);
					pacing.add(pacer.scheduleAtFixedRate(c::frame, offset, 20_000, TimeUnit.MICROSECONDS));
				}
				return c;
			}));
		}
		int failed = 0;
		for (CompletableFuture<EchoConnection> open : opening) {
			try {
				open.get(60, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				if (failed++ == 0) {
					this.out.println("  a connection failed to open: " + ex.getCause());
				}
			}
		}
		TimeUnit.SECONDS.sleep(settle);
		target.probe.markGc();
		double generatorFrom = LoadGenerator.generatorCpuSeconds();
		long from = System.nanoTime();
		double cpuFrom = target.probe.cpuSeconds();
		double systemFrom = target.probe.systemCpuSeconds();
		long switchesFrom = target.probe.contextSwitches();
		TimeUnit.SECONDS.sleep(seconds);
		long to = System.nanoTime();
		double cpuTo = target.probe.cpuSeconds();
		double systemTo = target.probe.systemCpuSeconds();
		long switchesTo = target.probe.contextSwitches();
		double generatorCpu = LoadGenerator.generatorCpuSeconds() - generatorFrom;
		double rss = target.probe.rssMiB();
		double peakRss = target.probe.peakRssMiB();
		int threads = target.probe.threads();
		ProcessProbe.GcPauses gc = target.probe.gcPauses();
		// let the last messages of the window come back before reading the log
		TimeUnit.SECONDS.sleep(2);
		synchronized (pacing) {
			pacing.forEach((task) -> task.cancel(false));
		}
		pacer.shutdown();
		pacer.awaitTermination(10, TimeUnit.SECONDS);
		CompletableFuture.allOf(opened.stream().map(EchoConnection::close).toArray(CompletableFuture[]::new))
			.completeOnTimeout(null, 10, TimeUnit.SECONDS)
			.exceptionally((ex) -> null)
			.join();
		double wall = (to - from) / 1e9;
		FrameLog.Window window = frames.echoes(connections, from, to);
		int echoed = window.frames() - window.lostBack();
		int expected = (int) Math.round(connections * 50 * wall);
		// the server closes its side of the sockets before the next run opens new ones
		TimeUnit.SECONDS.sleep(2);
		return new Result(target.label, this.options.java, connections, run, wall, failed, expected, window,
				(cpuTo - cpuFrom) / wall, (cpuTo - cpuFrom) * 1e6 / Math.max(1, echoed),
				(systemTo - systemFrom) / Math.max(1e-9, cpuTo - cpuFrom),
				(double) (switchesTo - switchesFrom) / Math.max(1, echoed), rss, peakRss, threads, gc,
				generatorCpu / wall, generatorCpu * 1e6 / Math.max(1, echoed));
	}

	private void stop() throws Exception {
		for (Target target : this.targets) {
			if (target.process != null) {
				target.process.destroy();
				if (!target.process.waitFor(30, TimeUnit.SECONDS)) {
					target.process.destroyForcibly();
				}
			}
			if (target.upstream != null) {
				target.upstream.close();
			}
		}
	}

}
