/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package org.ioaio.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;
import org.ioaio.FileStat;

/**
 * What 100k requests cost the process: CPU seconds (user + system, every thread of the process:
 * workers, the submitting thread, GC and JIT included) and threads, in one run, 8 worker threads
 * everywhere:
 *
 * <ul>
 *   <li><b>nop</b>: 100k no-op requests submitted at once: aio {@code nop} + {@code flush}; a
 *       {@code ThreadPoolExecutor}; virtual threads (one per task); Vert.x 5 unordered {@code
 *       executeBlocking} from its event loop; IO::AIO 4.8 {@code aio_nop} + {@code flush}.
 *   <li><b>stat</b>: 100k stats (10k cached files 10 times each; 1k files 100 times each with {@code
 *       --quick}, as making the files takes longer than the runs), 1024 in flight: aio group
 *       {@code limit(1024)} + feeder, for every engine configuration of {@link Backends#configs};
 *       the executors over {@code Files.readAttributes}; Vert.x {@code FileSystem.props}; IO::AIO
 *       4.8 {@code aio_group} + {@code limit 1024} + {@code feed} of {@code aio_stat}.
 * </ul>
 *
 * The Java variants run in this JVM, one after the other, each after a {@code System.gc()}: CPU
 * is {@code OperatingSystemMXBean.getProcessCpuTime()} before and after (it moves in 10 ms ticks, so
 * the nops are run 10 times, 3 with {@code --quick}, and divided back); threads are the peak
 * number of live platform threads during the variant ({@code ThreadMXBean}, reset before it)
 * minus those alive before it, plus, for virtual threads, their carrier threads (which outlive a
 * run, so they are counted as alive rather than as started). IO::AIO runs in perl, which reports
 * its own CPU ({@code times}, 10 ms ticks) and its thread count less the main thread.
 *
 * <p>Usage: {@code CostBench [--quick] [--passes N] [--shared-bench DIR] [--backend auto|nio|native]}.
 */
public final class CostBench {

    /** Requests per run. */
    static final int N = 100_000;
    /** Worker threads of every variant. */
    static final int THREADS = 8;
    /** In flight for the stats. */
    static final int WINDOW = 1024;
    /**
     * Runs of 100k nops measured together (figures divided back to one): the JVM's process CPU
     * time moves in 10 ms ticks, and 100k nops take about that.
     */
    static final int NOP_RUNS = 10;
    /** With {@code --quick}. */
    static final int NOP_RUNS_QUICK = 3;

    /**
     * IO::AIO: ARGV = what (nop|stat), root, n, threads; the file list is made before the CPU count
     * starts; prints wall_ms, cpu_ms and threads (less the main one).
     */
    private static final String IOAIO_COST = "use IO::AIO; use Time::HiRes qw(time);"
            + " my ($what, $root, $n, $threads) = @ARGV;"
            + " IO::AIO::min_parallel $threads; IO::AIO::max_parallel $threads; my @files;"
            + " if ($what eq 'stat') { my @st = ($root); while (my $d = pop @st) { opendir my $dh, $d or die;"
            + "   for (readdir $dh) { next if /^\\.\\.?$/; my $p = \"$d/$_\"; if (-d $p) { push @st, $p } else { push @files, $p } } } }"
            + " my @c0 = times; my $t0 = time; my ($i, $done) = (0, 0);"
            + " if ($what eq 'nop') { aio_nop sub { $done++ } for 1 .. $n }"
            + " else { my $grp = aio_group sub {}; limit $grp " + WINDOW + ";"
            + "   feed $grp sub { $i < $n or return; my $f = $files[$i++ % @files]; add $grp aio_stat $f, sub { $_[0] and die \"stat $f: $!\"; $done++ } } }"
            + " IO::AIO::flush; my @c1 = times; my $dt = time - $t0;"
            + " open my $s, '<', '/proc/self/status' or die; my ($thr) = map { /^Threads:\\s+(\\d+)/ ? $1 : () } <$s>;"
            + " $done == $n or die \"done $done of $n\";"
            + " printf \"wall_ms=%.1f cpu_ms=%.1f threads=%d\\n\", 1e3 * $dt, 1e3 * ($c1[0] + $c1[1] - $c0[0] - $c0[1]), $thr - 1;";

    private static final Pattern IOAIO_OUT = Pattern.compile("wall_ms=([0-9.]+) cpu_ms=([0-9.]+) threads=([0-9]+)");

    private static final ThreadMXBean THREAD_MX = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Results seen by the aio callbacks; only the polling thread writes them. */
    private static long delivered;
    private static long failed;
    private static int next;

    private static final AioCallback<Void> COUNT_NOP = r -> delivered++;
    private static final AioCallback<FileStat> COUNT_STAT = r -> {
        if (r.ok()) {
            delivered++;
        } else {
            failed++;
        }
    };

    private CostBench() {}

    /** One measured run. */
    private record Cost(double wallMs, double cpuMs, int threads) {}

    /** A run's body. */
    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /**
     * Runs the benchmark and prints the tables.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int passes = 3;
        Path shared = Path.of("..", "shared", "bench");
        AioBackend backend = AioBackend.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                case "--backend" -> backend = AioBackend.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be 1 or more");
        }
        passes = Math.min(passes, quick ? 1 : 3);
        int nopRuns = quick ? NOP_RUNS_QUICK : NOP_RUNS;
        if (OS.getProcessCpuTime() < 0) {
            System.out.println("# skipped: this JVM does not report the process's CPU time");
            return;
        }
        IoAioPeer ioaio = IoAioPeer.find(shared);
        List<Backends.Config> configs = Backends.configs(backend);
        Windowed.Pool vt = Windowed.virtualThreads();
        String vertxWhy = VertxPeer.unavailable();

        try (TempFiles tree = TempFiles.directory("aio-costbench-")) {
            Path root = tree.path();
            String made = StatBench.makeTree(shared, root, quick ? 10 : 100, 100);
            StatBench.syncFs(root);
            Path[] tenK = StatBench.listFiles(root);
            Path[] files = new Path[N];
            String[] names = new String[N];
            for (int i = 0; i < N; i++) {
                files[i] = tenK[i % tenK.length];
                names[i] = files[i].toString();
            }
            System.out.println("# CPU and threads per " + N + " requests: CPU ms of the whole process (user + system, every thread:"
                    + " GC and JIT included), wall ms, and threads the run added (peak live platform threads minus those alive"
                    + " before it, so a compiler thread the JVM starts meanwhile counts too; virtual threads: plus their carriers);"
                    + " median of " + passes + " passes; " + THREADS
                    + " worker threads everywhere; the Java nops: " + nopRuns + " runs measured together, divided back");
            System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores; stat: "
                    + tenK.length + " cached files (" + made + ") " + N / tenK.length + " times each, " + WINDOW + " in flight; nop: all submitted at once"
                    + (vertxWhy == null ? "; " + VertxPeer.version() + ": 1 event loop + " + THREADS + " workers (executeBlocking) / "
                            + THREADS + " internal blocking threads (FileSystem)" : "; Vert.x skipped: " + vertxWhy)
                    + (ioaio.unavailable() == null ? "; IO::AIO 4.8 in perl, its own CPU (times, 10 ms ticks) and threads less the main"
                            + " one (a perl program of this harness)" : "; IO::AIO skipped: " + ioaio.unavailable()));

            Map<String, Body> runs = new LinkedHashMap<>();
            Backends.Config first = configs.get(0);
            runs.put("nop|aio (" + first.name() + ")", () -> aioNops(first));
            runs.put("nop|ThreadPoolExecutor", () -> NopBench.tpeNop(N));
            if (vt != null) {
                runs.put("nop|virtual threads", () -> NopBench.vtNop(vt, N));
            }
            if (vertxWhy == null) {
                runs.put("nop|Vert.x", () -> {
                    try (VertxPeer vx = VertxPeer.start(THREADS)) {
                        vx.nopAtOnce(N);
                    }
                });
            }
            for (Backends.Config c : configs) {
                runs.put("stat|aio (" + c.name() + ")", () -> aioStats(c, files));
            }
            runs.put("stat|ThreadPoolExecutor", () -> Windowed.run(Windowed.threadPool(THREADS), N, WINDOW,
                    i -> StatBench.readAttributes(files[i])));
            if (vt != null) {
                runs.put("stat|virtual threads", () -> Windowed.run(vt, N, WINDOW, i -> StatBench.readAttributes(files[i])));
            }
            if (vertxWhy == null) {
                runs.put("stat|Vert.x", () -> {
                    try (VertxPeer vx = VertxPeer.start(THREADS)) {
                        vx.stat(names, WINDOW);
                    }
                });
            }
            for (int w = 0; w < Variant.WARM_UP_ROUNDS; w++) {
                for (Body b : runs.values()) {
                    b.run(); // untimed: the JIT compiles every path until it is steady
                }
            }
            Map<String, List<Cost>> costs = new LinkedHashMap<>();
            runs.keySet().forEach(k -> costs.put(k, new ArrayList<>()));
            boolean ioOk = ioaio.unavailable() == null;
            if (ioOk) {
                costs.put("nop|IO::AIO 4.8", new ArrayList<>());
                costs.put("stat|IO::AIO 4.8", new ArrayList<>());
            }
            for (int p = 0; p < passes; p++) {
                for (var e : runs.entrySet()) {
                    int times = e.getKey().startsWith("nop|") ? nopRuns : 1;
                    costs.get(e.getKey()).add(measure(e.getKey().contains("virtual"), times, e.getValue()));
                }
                if (ioOk) {
                    for (String what : List.of("nop", "stat")) {
                        Cost c = ioaioCost(ioaio, what, root);
                        if (c == null) {
                            ioOk = false;
                            costs.remove("nop|IO::AIO 4.8");
                            costs.remove("stat|IO::AIO 4.8");
                            break;
                        }
                        costs.get(what + "|IO::AIO 4.8").add(c);
                    }
                }
            }

            System.out.println("| request | implementation | threads added | CPU ms per " + N / 1000 + "k | wall ms | CPU / wall |");
            System.out.println("|---|---|---:|---:|---:|---:|");
            Map<String, double[]> med = new LinkedHashMap<>();
            costs.forEach((k, list) -> {
                double[] wall = list.stream().mapToDouble(Cost::wallMs).toArray();
                double[] cpu = list.stream().mapToDouble(Cost::cpuMs).toArray();
                double[] thr = list.stream().mapToDouble(Cost::threads).toArray();
                double[] m = {Stats.median(wall), Stats.median(cpu), Stats.median(thr)};
                med.put(k, m);
                String[] wk = k.split("\\|");
                System.out.println("| " + wk[0] + " | " + wk[1] + " | " + Stats.fmt(m[2], 0) + " | " + Stats.fmt(m[1], 0) + " | "
                        + Stats.fmt(m[0], 0) + " | " + Stats.fmt(m[1] / m[0], 2) + " |");
            });
            System.out.println();
            System.out.println("# ratios of the CPU medians above: peer / aio (below 1: the peer used less CPU for the same requests)");
            List<String> peers = List.of("ThreadPoolExecutor", "virtual threads", "Vert.x", "IO::AIO 4.8");
            StringBuilder h = new StringBuilder("| request, aio backend | aio CPU ms |");
            StringBuilder a = new StringBuilder("|---|---:|");
            for (String peer : peers) {
                h.append(' ').append(peer).append(" / aio, CPU |");
                a.append("---:|");
            }
            System.out.println(h);
            System.out.println(a);
            for (String what : List.of("nop", "stat")) {
                for (Backends.Config c : configs) {
                    double[] am = med.get(what + "|aio (" + c.name() + ")");
                    if (am == null) {
                        continue;
                    }
                    StringBuilder r = new StringBuilder("| " + what + ", " + c.name() + " | " + Stats.fmt(am[1], 0) + " |");
                    for (String peer : peers) {
                        double[] pm = med.get(what + "|" + peer);
                        r.append(' ').append(pm == null ? "n/a" : Stats.fmt(pm[1] / am[1], 2)).append(" |");
                    }
                    System.out.println(r);
                }
            }
        }
    }

    /**
     * Runs the body {@code times} times after a GC and returns the wall time and process CPU time
     * of one run (the total divided by {@code times}) and the threads it added.
     */
    private static Cost measure(boolean virtual, int times, Body body) throws Exception {
        System.gc();
        settle();
        int before = THREAD_MX.getThreadCount();
        int carriers = virtual ? carriers() : 0;
        THREAD_MX.resetPeakThreadCount();
        long c0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < times; i++) {
            body.run();
        }
        long t1 = System.nanoTime();
        long c1 = OS.getProcessCpuTime();
        int added = Math.max(0, THREAD_MX.getPeakThreadCount() - before);
        if (virtual) {
            added += Math.max(carriers, carriers());
        }
        return new Cost((t1 - t0) / 1e6 / times, (c1 - c0) / 1e6 / times, added);
    }

    /**
     * Waits (at most 3 s) until the number of live threads has not changed for 100 ms: the
     * previous run's workers are stopping, and must not count as alive before the next run.
     */
    private static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        int last = THREAD_MX.getThreadCount();
        int same = 0;
        while (same < 10 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            int now = THREAD_MX.getThreadCount();
            same = now == last ? same + 1 : 0;
            last = now;
        }
    }

    /** Live carrier threads of the virtual-thread scheduler (a ForkJoinPool whose workers are named ForkJoinPool-N-worker-M). */
    private static int carriers() {
        int n = 0;
        for (ThreadInfo t : THREAD_MX.getThreadInfo(THREAD_MX.getAllThreadIds())) {
            if (t != null && t.getThreadName().matches("ForkJoinPool-\\d+-worker-\\d+")) {
                n++;
            }
        }
        return n;
    }

    private static Cost ioaioCost(IoAioPeer ioaio, String what, Path root) {
        String out = ioaio.inline(IOAIO_COST, what, root.toString(), Integer.toString(N), Integer.toString(THREADS));
        Matcher m = out == null ? null : IOAIO_OUT.matcher(out);
        if (m == null || !m.find()) {
            System.out.println("# IO::AIO " + what + " failed: " + out);
            return null;
        }
        return new Cost(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** aio: N nops at once, flushed, on a fresh engine. */
    private static void aioNops(Backends.Config config) {
        try (AioEngine aio = config.engine(THREADS)) {
            delivered = 0;
            for (int i = 0; i < N; i++) {
                aio.nop(COUNT_NOP);
            }
            aio.flush();
            if (delivered != N) {
                throw new IllegalStateException("delivered " + delivered + " of " + N);
            }
        }
    }

    /** aio: N stats through one group with limit 1024 and a feeder, on a fresh engine. */
    private static void aioStats(Backends.Config config, Path[] files) {
        try (AioEngine aio = config.engine(THREADS)) {
            delivered = 0;
            failed = 0;
            next = 0;
            aio.group(g -> {
                g.limit(WINDOW);
                g.feed(grp -> {
                    int i = next;
                    if (i < files.length) {
                        next = i + 1;
                        grp.add(aio.stat(files[i], COUNT_STAT));
                    }
                });
            }, null);
            aio.flush();
            if (delivered != files.length || failed != 0) {
                throw new IllegalStateException("aio stat: " + delivered + " of " + files.length + " ok, " + failed + " failed");
            }
        }
    }
}
