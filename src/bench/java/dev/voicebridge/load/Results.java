package dev.voicebridge.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import dev.voicebridge.load.LoadGenerator.Result;

/**
 * Writes the load test's results: one CSV row per measured window, a table of the medians over
 * runs, and an SVG chart of round-trip percentiles and RSS against concurrent calls.
 */
final class Results {

	private static final String[] COLUMNS = { "label", "calls", "run", "slice", "seconds", "failed_calls", "frames",
			"lost_upstream", "lost_back", "reordered", "unrecognised", "rt_p50_ms", "rt_p99_ms", "rt_p999_ms",
			"rt_max_ms", "in_p50_ms", "in_p99_ms", "in_p999_ms", "in_max_ms", "out_p50_ms", "out_p99_ms",
			"out_p999_ms", "out_max_ms", "cpu_cores", "cpu_ms_per_call_second", "rss_mib", "peak_rss_mib", "threads",
			"gc_pauses", "gc_pause_total_ms", "gc_pause_max_ms", "generator_cores", "webhook_p50_ms", "webhook_p99_ms",
			"handshake_p50_ms", "handshake_p99_ms", "first_audio_p50_ms", "first_audio_p99_ms" };

	private Results() {
	}

	static void write(Path file, List<Result> results) throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add(String.join(",", COLUMNS));
		for (Result r : results) {
			FrameLog.Window f = r.frames();
			lines.add(String.join(",", r.label(), num(r.calls()), num(r.run()), num(r.slice()), num(r.seconds()),
					num(r.failedCalls()), num(f.frames()), num(f.lostUpstream()), num(f.lostBack()), num(f.reordered()),
					num(f.unrecognised()), percentiles(f.roundTrip()), percentiles(f.inbound()),
					percentiles(f.outbound()), num(r.cpuCores()), num(r.cpuMsPerCallSecond()), num(r.rssMiB()),
					num(r.peakRssMiB()), num(r.threads()), num(r.gc().count()), num(r.gc().totalMs()),
					num(r.gc().maxMs()), num(r.generatorCores()), num(r.webhook().p50()), num(r.webhook().p99()),
					num(r.handshake().p50()), num(r.handshake().p99()), num(r.firstAudio().p50()),
					num(r.firstAudio().p99())));
		}
		Files.write(file, lines);
	}

	/** Reads back what {@link #write} wrote, so that the chart can join several result files. */
	static List<Result> read(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file);
		List<String> header = List.of(lines.get(0).split(","));
		List<Result> results = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] cells = line.split(",", -1);
			java.util.function.Function<String, Double> d = (name) -> {
				String cell = cells[header.indexOf(name)];
				return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
			};
			java.util.function.Function<String, Integer> i = (name) -> (int) Math.round(d.apply(name));
			java.util.function.Function<String, FrameLog.Percentiles> p = (prefix) -> new FrameLog.Percentiles(0,
					d.apply(prefix + "_p50_ms"), d.apply(prefix + "_p99_ms"), d.apply(prefix + "_p999_ms"),
					d.apply(prefix + "_max_ms"));
			FrameLog.Window frames = new FrameLog.Window(i.apply("frames"), i.apply("lost_upstream"),
					i.apply("lost_back"), i.apply("reordered"), i.apply("unrecognised"), p.apply("in"), p.apply("out"),
					p.apply("rt"));
			FrameLog.Percentiles none = new FrameLog.Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
			results.add(new Result(cells[0], i.apply("calls"), i.apply("run"), i.apply("slice"), d.apply("seconds"),
					i.apply("failed_calls"), frames, d.apply("cpu_cores"), d.apply("cpu_ms_per_call_second"),
					d.apply("rss_mib"), d.apply("peak_rss_mib"), i.apply("threads"),
					new ProcessProbe.GcPauses(i.apply("gc_pauses"), d.apply("gc_pause_total_ms"),
							d.apply("gc_pause_max_ms")),
					d.apply("generator_cores"), none, none, none));
		}
		return results;
	}

	/** Medians over runs, one line per label, number of calls and slice. */
	static String medians(List<Result> results) {
		StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
				"%-14s %6s %5s | %8s %8s %8s %8s | %8s %8s | %6s %9s | %7s | %6s %8s%n", "median of runs", "calls",
				"slice", "rt p50", "rt p99", "rt p99.9", "rt max", "in p99", "out p99", "cores", "ms/call-s", "RSS MiB",
				"lost", "gc max"));
		for (List<Result> group : grouped(results).values()) {
			Result first = group.get(0);
			table.append(String.format(Locale.ROOT,
					"%-14s %6d %5d | %8.2f %8.2f %8.2f %8.1f | %8.2f %8.2f | %6.2f %9.2f | %7.0f | %6.0f %8.1f%n",
					first.label(), first.calls(), first.slice(), median(group, (r) -> r.frames().roundTrip().p50()),
					median(group, (r) -> r.frames().roundTrip().p99()),
					median(group, (r) -> r.frames().roundTrip().p999()),
					median(group, (r) -> r.frames().roundTrip().max()), median(group, (r) -> r.frames().inbound().p99()),
					median(group, (r) -> r.frames().outbound().p99()), median(group, Result::cpuCores),
					median(group, Result::cpuMsPerCallSecond), median(group, Result::rssMiB),
					median(group, (r) -> r.frames().lostUpstream() + r.frames().lostBack()),
					median(group, (r) -> r.gc().maxMs())));
		}
		Map<String, Integer> capacity = new TreeMap<>();
		for (List<Result> group : grouped(results).values()) {
			Result first = group.get(0);
			double p99 = median(group, (r) -> r.frames().roundTrip().p99());
			// every run: every call connected and every frame came back
			boolean allArrived = group.stream()
				.allMatch((r) -> r.failedCalls() == 0 && r.frames().lostUpstream() + r.frames().lostBack() == 0);
			if (first.slice() == 1 && p99 < 200 && allArrived) {
				capacity.merge(first.label(), first.calls(), Math::max);
			}
		}
		capacity.forEach((label, calls) -> table.append(String.format(Locale.ROOT,
				"%s: p99 round trip under 200 ms, every call connected and no frame lost, up to %d concurrent calls "
						+ "(of those measured)%n",
				label, calls)));
		return table.toString();
	}

	/**
	 * An SVG line chart: round-trip p50, p99 and p99.9 (log scale, left) and RSS (right) against
	 * concurrent calls, one set of lines per label; medians over runs of the first slice.
	 */
	static void chart(Path file, List<Result> results) throws IOException {
		Map<String, Map<Integer, List<Result>>> byLabel = new TreeMap<>();
		for (Result r : results) {
			if (r.slice() == 1) {
				byLabel.computeIfAbsent(r.label(), (l) -> new TreeMap<>())
					.computeIfAbsent(r.calls(), (c) -> new ArrayList<>())
					.add(r);
			}
		}
		int[] calls = results.stream().mapToInt(Result::calls).distinct().sorted().toArray();
		double width = 760;
		double height = 430;
		double left = 70;
		double right = 690;
		double top = 40;
		double bottom = 360;
		double minMs = 0.1;
		double maxMs = 10_000;
		double maxRss = Math.max(100, Math.ceil(results.stream().mapToDouble(Result::rssMiB).max().orElse(100) / 100) * 100);
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" "
						+ "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
				width, height));
		svg.append("<text x=\"70\" y=\"22\" font-size=\"14\">Round trip per frame (ms, log scale) and RSS (MiB) "
				+ "against concurrent calls</text>\n");
		for (double ms = minMs; ms <= maxMs; ms *= 10) {
			double y = logY(ms, minMs, maxMs, top, bottom);
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
							+ "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
					left, y, right, y, left - 6, y + 4, (ms < 1) ? String.valueOf(ms) : String.valueOf((long) ms)));
		}
		for (int i = 0; i <= 4; i++) {
			double rss = maxRss * i / 4;
			double y = bottom - (bottom - top) * i / 4;
			svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.1f\" fill=\"#2a7\">%.0f</text>%n", right + 6,
					y + 4, rss));
		}
		boolean anyOverloaded = false;
		for (int i = 0; i < calls.length; i++) {
			double x = x(i, calls.length, left, right);
			int n = calls[i];
			// a load the machine could not drive: calls failed to connect or frames were lost
			boolean overloaded = results.stream()
				.anyMatch((r) -> r.calls() == n && (r.failedCalls() > 0 || r.frames().lostUpstream() > 0
						|| r.frames().lostBack() > 0));
			anyOverloaded |= overloaded;
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"%s\">%d%s</text>%n", x, bottom + 18,
					overloaded ? "#c33" : "black", n, overloaded ? "*" : ""));
		}
		if (anyOverloaded) {
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%.0f\" y=\"%.0f\" fill=\"#c33\" font-size=\"11\">* in some run, calls failed to "
							+ "connect or frames were lost: the machine could not drive this load</text>%n",
					left, bottom + 54));
		}
		svg.append(String.format(Locale.ROOT,
				"<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">concurrent calls</text>%n", (left + right) / 2,
				bottom + 38));
		String[] dashes = { "", "6,4", "2,3", "8,3,2,3" };
		int labelIndex = 0;
		double legendY = top + 6;
		for (Map.Entry<String, Map<Integer, List<Result>>> series : byLabel.entrySet()) {
			String dash = dashes[labelIndex++ % dashes.length];
			line(svg, series.getValue(), calls, (r) -> r.frames().roundTrip().p50(), "#36c", dash, true, minMs, maxMs,
					maxRss, left, right, top, bottom);
			line(svg, series.getValue(), calls, (r) -> r.frames().roundTrip().p99(), "#e80", dash, true, minMs, maxMs,
					maxRss, left, right, top, bottom);
			line(svg, series.getValue(), calls, (r) -> r.frames().roundTrip().p999(), "#c33", dash, true, minMs,
					maxMs, maxRss, left, right, top, bottom);
			line(svg, series.getValue(), calls, Result::rssMiB, "#2a7", dash, false, minMs, maxMs, maxRss, left, right,
					top, bottom);
			for (String[] key : new String[][] { { "#36c", "p50" }, { "#e80", "p99" }, { "#c33", "p99.9" },
					{ "#2a7", "RSS" } }) {
				svg.append(String.format(Locale.ROOT,
						"<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\" "
								+ "stroke-dasharray=\"%s\"/><text x=\"%.0f\" y=\"%.0f\">%s %s</text>%n",
						left + 10, legendY, left + 34, legendY, key[0], dash, left + 40, legendY + 4,
						escape(series.getKey()), key[1]));
				legendY += 15;
			}
		}
		svg.append("</svg>\n");
		Files.writeString(file, svg);
	}

	private static void line(StringBuilder svg, Map<Integer, List<Result>> byCalls, int[] calls,
			ToDoubleFunction<Result> value, String colour, String dash, boolean log, double minMs, double maxMs,
			double maxRss, double left, double right, double top, double bottom) {
		StringBuilder points = new StringBuilder();
		for (int i = 0; i < calls.length; i++) {
			List<Result> group = byCalls.get(calls[i]);
			if (group == null) {
				continue;
			}
			double v = median(group, value);
			if (Double.isNaN(v)) {
				continue;
			}
			double y = log ? logY(v, minMs, maxMs, top, bottom) : bottom - (bottom - top) * v / maxRss;
			double x = x(i, calls.length, left, right);
			points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
			svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
					colour));
		}
		svg.append(String.format(Locale.ROOT,
				"<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/>%n",
				points.toString().trim(), colour, dash));
	}

	private static double x(int i, int n, double left, double right) {
		return (n == 1) ? (left + right) / 2 : left + 30 + (right - left - 60) * i / (n - 1);
	}

	private static double logY(double ms, double minMs, double maxMs, double top, double bottom) {
		double clamped = Math.min(maxMs, Math.max(minMs, ms));
		return bottom - (bottom - top) * Math.log10(clamped / minMs) / Math.log10(maxMs / minMs);
	}

	private static Map<String, List<Result>> grouped(List<Result> results) {
		return results.stream()
			.collect(Collectors.groupingBy((r) -> String.format("%s/%08d/%04d", r.label(), r.calls(), r.slice()),
					TreeMap::new, Collectors.toList()));
	}

	static double median(List<Result> group, ToDoubleFunction<Result> value) {
		double[] values = group.stream().mapToDouble(value).filter((v) -> !Double.isNaN(v)).sorted().toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		int mid = values.length / 2;
		return (values.length % 2 == 1) ? values[mid] : (values[mid - 1] + values[mid]) / 2;
	}

	private static String percentiles(FrameLog.Percentiles p) {
		return String.join(",", num(p.p50()), num(p.p99()), num(p.p999()), num(p.max()));
	}

	private static String num(double value) {
		return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
	}

	private static String num(int value) {
		return Integer.toString(value);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;");
	}

}
