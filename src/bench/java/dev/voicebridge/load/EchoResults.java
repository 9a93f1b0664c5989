package dev.voicebridge.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.voicebridge.load.EchoMode.Result;

/** Writes the echo mode's results: one CSV row per measured window, and the medians over runs. */
final class EchoResults {

	private static final String[] COLUMNS = { "label", "jvm", "connections", "run", "seconds", "failed_connections",
			"expected", "sent", "echoed", "lost", "reordered", "unrecognised", "rt_p50_ms", "rt_p99_ms", "rt_p999_ms",
			"rt_max_ms", "cpu_cores", "cpu_us_per_message", "system_cpu_share", "context_switches_per_message", "rss_mib", "peak_rss_mib", "threads", "gc_pauses",
			"gc_pause_total_ms", "gc_pause_max_ms", "generator_cores", "generator_us_per_message" };

	private EchoResults() {
	}

	static void write(Path file, List<Result> results) throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add(String.join(",", COLUMNS));
		for (Result r : results) {
			FrameLog.Window f = r.frames();
			FrameLog.Percentiles rt = f.roundTrip();
			lines.add(String.join(",", r.label(), r.jvm(), num(r.connections()), num(r.run()), num(r.seconds()),
					num(r.failed()), num(r.expected()), num(f.frames()), num(r.echoed()), num(f.lostBack()),
					num(f.reordered()), num(f.unrecognised()), num(rt.p50()), num(rt.p99()), num(rt.p999()),
					num(rt.max()), num(r.cpuCores()), num(r.cpuMicrosPerMessage()), num(r.systemShare()),
					num(r.switchesPerMessage()), num(r.rssMiB()),
					num(r.peakRssMiB()), num(r.threads()), num(r.gc().count()), num(r.gc().totalMs()),
					num(r.gc().maxMs()), num(r.generatorCores()), num(r.generatorMicrosPerMessage())));
		}
		Files.write(file, lines);
	}

	/** Medians over runs, one line per server and number of connections, in the order measured. */
	static String medians(List<Result> results) {
		Map<String, List<Result>> groups = new LinkedHashMap<>();
		for (Result r : results) {
			groups.computeIfAbsent(r.label() + "/" + r.connections(), (k) -> new ArrayList<>()).add(r);
		}
		StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
				"%-14s %5s %4s | %7s %7s | %7s %7s %8s %7s | %6s %7s %5s %7s | %7s %7s | %5s %6s | %9s%n",
				"median of runs", "conns", "runs", "sent %", "lost", "rt p50", "rt p99", "rt p99.9", "rt max", "cores",
				"us/msg", "sys %", "cs/msg",
				"RSS MiB", "threads", "gc", "gc max", "generator"));
		for (List<Result> group : groups.values()) {
			Result first = group.get(0);
			table.append(String.format(Locale.ROOT,
					"%-14s %5d %4d | %7.1f %7.0f | %7.2f %7.2f %8.2f %7.1f | %6.3f %7.1f %5.0f %7.2f | %7.0f %7.0f | %5.0f %6.1f | %9.2f%n",
					first.label(), first.connections(), group.size(),
					median(group, (r) -> 100.0 * r.frames().frames() / r.expected()),
					median(group, (r) -> r.frames().lostBack()), median(group, (r) -> r.frames().roundTrip().p50()),
					median(group, (r) -> r.frames().roundTrip().p99()),
					median(group, (r) -> r.frames().roundTrip().p999()),
					median(group, (r) -> r.frames().roundTrip().max()), median(group, Result::cpuCores),
					median(group, Result::cpuMicrosPerMessage), median(group, (r) -> 100 * r.systemShare()),
					median(group, Result::switchesPerMessage), median(group, Result::rssMiB),
					median(group, Result::threads), median(group, (r) -> r.gc().count()),
					median(group, (r) -> r.gc().maxMs()), median(group, Result::generatorCores)));
		}
		return table.toString();
	}

	private static double median(List<Result> group, java.util.function.ToDoubleFunction<Result> value) {
		double[] values = group.stream().mapToDouble(value).filter((v) -> !Double.isNaN(v)).sorted().toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		int mid = values.length / 2;
		return (values.length % 2 == 1) ? values[mid] : (values[mid - 1] + values[mid]) / 2;
	}

	private static String num(double value) {
		return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
	}

	private static String num(int value) {
		return Integer.toString(value);
	}

}
