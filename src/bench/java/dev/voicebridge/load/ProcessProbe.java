package dev.voicebridge.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time, resident memory and thread count of a process, from Linux's {@code /proc}; and the GC
 * pauses a JVM wrote to its {@code -Xlog:gc} file since the last look.
 */
final class ProcessProbe {

	/** USER_HZ: what {@code /proc/PID/stat} counts CPU time in; 100 on every Linux we run on. */
	private static final double TICKS_PER_SECOND = 100.0;

	private static final Pattern PAUSE = Pattern.compile("Pause.* ([0-9.]+)ms$");

	private final long pid;

	private final Path gcLog;

	private long gcOffset;

	ProcessProbe(long pid, Path gcLog) {
		this.pid = pid;
		this.gcLog = gcLog;
	}

	long pid() {
		return this.pid;
	}

	/** User plus system CPU seconds so far. */
	double cpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(this.pid), "stat"));
			// the command name may hold spaces: count fields from after its closing parenthesis
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
		}
		catch (IOException ex) {
			throw new IllegalStateException("process " + this.pid + " is gone", ex);
		}
	}

	/** System (kernel) CPU seconds so far: the part of {@link #cpuSeconds} spent in system calls. */
	double systemCpuSeconds() {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(this.pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[12]) / TICKS_PER_SECOND;
		}
		catch (IOException ex) {
			throw new IllegalStateException("process " + this.pid + " is gone", ex);
		}
	}

	/**
	 * Context switches so far, voluntary (a thread blocked or parked) plus involuntary, summed over
	 * the process's live threads; a thread that ended takes its count with it.
	 */
	long contextSwitches() {
		long sum = 0;
		try (var tasks = Files.list(Path.of("/proc", Long.toString(this.pid), "task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					for (String line : Files.readAllLines(task.resolve("status"))) {
						if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
							sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
					}
				}
				catch (IOException ex) {
					// the thread ended while we looked
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("process " + this.pid + " is gone", ex);
		}
		return sum;
	}

	/** VmRSS in MiB. */
	double rssMiB() {
		return statusKiB("VmRSS:") / 1024.0;
	}

	/** VmHWM (peak RSS) in MiB. */
	double peakRssMiB() {
		return statusKiB("VmHWM:") / 1024.0;
	}

	int threads() {
		return (int) statusKiB("Threads:");
	}

	private long statusKiB(String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.pid), "status"))) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
				}
			}
			return -1;
		}
		catch (IOException ex) {
			throw new IllegalStateException("process " + this.pid + " is gone", ex);
		}
	}

	/** Forgets the pauses logged so far. */
	void markGc() {
		gcPauses();
	}

	/** The pauses logged since the last call, or an empty result when there is no GC log. */
	GcPauses gcPauses() {
		if (this.gcLog == null || !Files.exists(this.gcLog)) {
			return new GcPauses(0, 0, 0);
		}
		int count = 0;
		double total = 0;
		double max = 0;
		try (RandomAccessFile file = new RandomAccessFile(this.gcLog.toFile(), "r")) {
			long end = file.length();
			byte[] bytes = new byte[(int) (end - this.gcOffset)];
			file.seek(this.gcOffset);
			file.readFully(bytes);
			String text = new String(bytes, StandardCharsets.UTF_8);
			int complete = text.lastIndexOf('\n') + 1;
			this.gcOffset += text.substring(0, complete).getBytes(StandardCharsets.UTF_8).length;
			for (String line : text.substring(0, complete).split("\n")) {
				Matcher pause = PAUSE.matcher(line.strip());
				if (pause.find()) {
					double ms = Double.parseDouble(pause.group(1));
					count++;
					total += ms;
					max = Math.max(max, ms);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + this.gcLog, ex);
		}
		return new GcPauses(count, total, max);
	}

	/** GC pauses: how many, their sum and the longest, in milliseconds. */
	record GcPauses(int count, double totalMs, double maxMs) {
	}

}
