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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;

/**
 * Latency of single requests, in one run, 2 worker threads everywhere:
 *
 * <ul>
 *   <li><b>round trip</b>: submit one request (a nop, or a stat of one cached file), wait until its
 *       result is back on the submitting thread, repeat; p50 and p99 of each pass's round trips.
 *       aio: the callback form, the submitting thread polling ({@code poll()}) until the callback
 *       ran, for every engine configuration of {@link Backends#configs}; a {@code
 *       ThreadPoolExecutor}: {@code submit} + {@code Future.get}; virtual threads: the same on a
 *       virtual-thread-per-task executor; Vert.x 5: submitted from its event loop, timed in its
 *       callback there, the next submitted from that callback ({@link VertxPeer#roundTrips});
 *       IO::AIO 4.8: the same loop as aio's, a perl program of this harness ({@code
 *       ioaio-bench.pl} has no latency workload).
 *   <li><b>priority</b>: block every worker with a gate request, queue 10k stat requests at
 *       priority 0, submit one nop at priority 4 and open the gate; time that nop from its
 *       submission to its callback (the submitting thread polls with {@code flush}); one sample per
 *       round, p50, p99 and p99.9 over 1000 rounds (100 with {@code --quick}), one engine or pool per
 *       variant for all of them, after {@link #warmUpRounds} unrecorded rounds of the same kind for
 *       every variant (the JIT's first compilations otherwise land in the tail of whichever variant
 *       runs first). aio ({@code pri(4)}), IO::AIO 4.8 ({@code aioreq_pri
 *       4}, a perl program of this harness), a FIFO {@code ThreadPoolExecutor} (its nop waits for
 *       the whole queue) and a {@code ThreadPoolExecutor} over a {@code PriorityBlockingQueue}
 *       (tasks ordered by priority, then by submission). Vert.x's {@code executeBlocking} has no
 *       priority: it is FIFO like the first executor, so it is not run.
 * </ul>
 *
 * <p>Usage: {@code LatencyBench [--quick] [--passes N] [--shared-bench DIR] [--backend auto|nio|native]
 * [--rounds N] [--only trips|priority]} ({@code --rounds}: priority rounds instead of 1000 / 100;
 * {@code --only}: one of the two tables).
 */
public final class LatencyBench {

    /** Worker threads of every variant. */
    static final int THREADS = 2;
    /** Requests queued at priority 0 ahead of the priority-4 one. */
    static final int QUEUED = 10_000;

    /**
     * IO::AIO round trips: ARGV = what (nop|stat), file, count, threads; the submitting thread polls
     * until the callback ran; prints p50_us and p99_us.
     */
    private static final String IOAIO_ROUND_TRIP = "use IO::AIO; use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC);"
            + " my ($what, $file, $n, $threads) = @ARGV;"
            + " IO::AIO::min_parallel $threads; IO::AIO::max_parallel $threads; my @lat;"
            + " for my $i (1 .. $n + $n / 10) { my $t1 = 0; my $t0 = clock_gettime(CLOCK_MONOTONIC);"
            + "   if ($what eq 'stat') { aio_stat $file, sub { $_[0] and die \"stat: $!\"; $t1 = clock_gettime(CLOCK_MONOTONIC) } }"
            + "   else { aio_nop sub { $t1 = clock_gettime(CLOCK_MONOTONIC) } }"
            + "   IO::AIO::poll while !$t1; push @lat, $t1 - $t0 if $i > $n / 10; }"
            + " @lat = sort { $a <=> $b } @lat;"
            + " printf \"p50_us=%.3f p99_us=%.3f\\n\", 1e6 * $lat[int((@lat - 1) * 0.5)], 1e6 * $lat[int((@lat - 1) * 0.99)];";

    /**
     * IO::AIO priority: ARGV = file, queued, rounds, threads, warm-up rounds (not recorded). Each round blocks every worker on a
     * read of an empty pipe (the gate), waits until those reads run, queues the stats at the
     * default priority, submits a nop at aioreq_pri 4, opens the gate (writes one byte per
     * worker) and flushes; prints p50_us and p99_us of the nop, and the median nready at its
     * submission.
     */
    private static final String IOAIO_PRIORITY = "use IO::AIO; use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC sleep);"
            + " my ($file, $queued, $rounds, $threads, $warm) = @ARGV;"
            + " IO::AIO::min_parallel $threads; IO::AIO::max_parallel $threads; my (@lat, @ready);"
            + " pipe my $r, my $w or die \"pipe: $!\"; $w->autoflush(1);"
            + " for my $round (1 - $warm .. $rounds) { my @buf = ('') x $threads;"
            + "   aio_read $r, undef, 1, $buf[$_], 0, sub { $_[0] == 1 or die \"gate: $!\" } for 0 .. $threads - 1;"
            + "   sleep 0.0002 while IO::AIO::nready > 0;"
            + "   aio_stat $file, sub { $_[0] and die \"stat: $!\" } for 1 .. $queued;"
            + "   my $ready = IO::AIO::nready; my $t1; aioreq_pri 4; my $t0 = clock_gettime(CLOCK_MONOTONIC);"
            + "   aio_nop sub { $t1 = clock_gettime(CLOCK_MONOTONIC) }; syswrite $w, 'x' x $threads;"
            + "   IO::AIO::flush; if ($round > 0) { push @lat, $t1 - $t0; push @ready, $ready } }"
            + " @lat = sort { $a <=> $b } @lat; @ready = sort { $a <=> $b } @ready;"
            + " printf \"p50_us=%.3f p99_us=%.3f p999_us=%.3f ready=%d\\n\", 1e6 * $lat[int((@lat - 1) * 0.5)],"
            + " 1e6 * $lat[int((@lat - 1) * 0.99)], 1e6 * $lat[int((@lat - 1) * 0.999)], $ready[int((@ready - 1) * 0.5)];";

    private static final Pattern READY = Pattern.compile("ready=([0-9]+)");

    private static final Pattern P999 = Pattern.compile("p999_us=([0-9.]+)");

    private static final Pattern P50_P99 = Pattern.compile("p50_us=([0-9.]+) p99_us=([0-9.]+)");

    /** When the polled callback ran (0 until then); only the polling thread writes it. */
    private static long calledBack;

    private LatencyBench() {}

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
        int roundsArg = 0;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                case "--rounds" -> roundsArg = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--backend" -> backend = AioBackend.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be 1 or more");
        }
        passes = Math.min(passes, quick ? 2 : 3);
        int trips = quick ? 1_000 : 5_000;
        int rounds = roundsArg > 0 ? roundsArg : quick ? 100 : 1000;
        IoAioPeer ioaio = IoAioPeer.find(shared);
        List<Backends.Config> configs = Backends.configs(backend);
        Windowed.Pool vt = Windowed.virtualThreads();
        String vertxWhy = VertxPeer.unavailable();

        try (TempFiles tmp = TempFiles.file("aio-latency-", ".dat")) {
            Path file = tmp.path();
            Files.write(file, new byte[] {1, 2, 3});
            if (!"priority".equals(only)) {
                roundTrips(file, trips, passes, configs, vt, vertxWhy, ioaio);
            }
            if (!"trips".equals(only)) {
                priority(file, rounds, configs, ioaio);
            }
        }
    }

    // ------------------------------------------------------------------ round trips

    /** Fills {@code out} with the nanoseconds of one round trip each. */
    @FunctionalInterface
    private interface Trips {
        void run(long[] out) throws Exception;
    }

    private static void roundTrips(Path file, int trips, int passes, List<Backends.Config> configs, Windowed.Pool vt,
            String vertxWhy, IoAioPeer ioaio) throws Exception {
        System.out.println("## round trip of one request");
        System.out.println("# one request at a time: submit, wait until its result is back on the submitting thread, repeat; " + trips
                + " round trips per pass (after " + trips / 10 + " unrecorded), " + THREADS + " worker threads everywhere;"
                + " p50 and p99 of each pass, median over " + passes + " passes; stat: one cached file");
        System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores; aio: callback form,"
                + " the submitting thread calls poll() until the callback ran; executors: submit + Future.get;"
                + (vertxWhy == null ? " " + VertxPeer.version() + ": submitted from its event loop and timed in the callback there;"
                        : " Vert.x skipped: " + vertxWhy + ";")
                + (ioaio.unavailable() == null ? " IO::AIO 4.8: aio_nop / aio_stat then IO::AIO::poll until the callback ran"
                        + " (a perl program of this harness: ioaio-bench.pl has no latency workload)"
                        : " IO::AIO skipped: " + ioaio.unavailable()));
        String stat = file.toString();
        Map<String, Trips> variants = new LinkedHashMap<>();
        List<ExecutorService> executors = new ArrayList<>();
        for (String what : List.of("nop", "stat")) {
            boolean isStat = what.equals("stat");
            for (Backends.Config c : configs) {
                variants.put(what + "|aio (" + c.name() + ")", out -> aioTrips(c, isStat ? file : null, out));
            }
            ThreadPoolExecutor tpe = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
            executors.add(tpe);
            variants.put(what + "|ThreadPoolExecutor", out -> executorTrips(tpe, isStat ? file : null, out));
            if (vt != null) {
                ExecutorService v = vt.create();
                executors.add(v);
                variants.put(what + "|virtual threads", out -> executorTrips(v, isStat ? file : null, out));
            }
            if (vertxWhy == null) {
                variants.put(what + "|Vert.x", out -> {
                    try (VertxPeer vx = VertxPeer.start(THREADS)) {
                        vx.roundTrips(isStat ? stat : null, new long[trips / 10]);
                        vx.roundTrips(isStat ? stat : null, out);
                    }
                });
            }
        }
        Map<String, double[]> p50 = new LinkedHashMap<>();
        Map<String, double[]> p99 = new LinkedHashMap<>();
        for (String k : variants.keySet()) {
            p50.put(k, new double[passes]);
            p99.put(k, new double[passes]);
        }
        List<Variant> passVariants = new ArrayList<>();
        variants.forEach((k, body) -> passVariants.add(p -> {
            long[] out = new long[trips];
            body.run(out);
            Arrays.sort(out);
            p50.get(k)[p] = out[(out.length - 1) / 2] / 1e3;
            p99.get(k)[p] = out[(int) ((out.length - 1) * 0.99)] / 1e3;
        }));
        for (Variant v : passVariants) {
            v.run(0); // warm-up: JIT, and the executors' threads started once (IO::AIO's program warms up itself)
        }
        boolean ioOk = ioaio.unavailable() == null;
        for (String what : List.of("nop", "stat")) {
            if (!ioOk) {
                break;
            }
            String k = what + "|IO::AIO 4.8";
            p50.put(k, new double[passes]);
            p99.put(k, new double[passes]);
            passVariants.add(p -> {
                double[] r = parse(ioaio.inline(IOAIO_ROUND_TRIP, what, stat, Integer.toString(trips), Integer.toString(THREADS)));
                p50.get(k)[p] = r[0];
                p99.get(k)[p] = r[1];
            });
        }
        for (int p = 0; p < passes; p++) {
            Variant.runPass(passVariants, p);
        }
        for (ExecutorService ex : executors) {
            ex.shutdown();
        }

        System.out.println("| request | implementation | threads | p50 (us) | p99 (us) |");
        System.out.println("|---|---|---:|---:|---:|");
        p50.forEach((k, v) -> {
            String[] wk = k.split("\\|");
            String threads = wk[1].startsWith("virtual") ? "virtual" : Integer.toString(THREADS);
            System.out.println("| " + wk[0] + " | " + wk[1] + " | " + threads + " | " + fmt(Stats.median(v)) + " | "
                    + fmt(Stats.median(p99.get(k))) + " |");
        });
        System.out.println();
        System.out.println("# ratios of the medians above: peer / aio (below 1: the peer's round trip is shorter)");
        List<String> peers = new ArrayList<>(List.of("ThreadPoolExecutor", "virtual threads", "Vert.x", "IO::AIO 4.8"));
        StringBuilder h = new StringBuilder("| request, aio backend | aio p50 (us) | aio p99 (us) |");
        StringBuilder a = new StringBuilder("|---|---:|---:|");
        for (String q : List.of("p50", "p99")) {
            for (String peer : peers) {
                h.append(' ').append(peer).append(" / aio, ").append(q).append(" |");
                a.append("---:|");
            }
        }
        System.out.println(h);
        System.out.println(a);
        for (String what : List.of("nop", "stat")) {
            for (Backends.Config c : configs) {
                String ak = what + "|aio (" + c.name() + ")";
                double a50 = Stats.median(p50.get(ak));
                double a99 = Stats.median(p99.get(ak));
                StringBuilder r = new StringBuilder("| " + what + ", " + c.name() + " | " + fmt(a50) + " | " + fmt(a99) + " |");
                for (String q : List.of("p50", "p99")) {
                    for (String peer : peers) {
                        double[] v = (q.equals("p50") ? p50 : p99).get(what + "|" + peer);
                        r.append(' ').append(v == null ? "n/a" : Stats.fmt(Stats.median(v) / (q.equals("p50") ? a50 : a99), 2)).append(" |");
                    }
                }
                System.out.println(r);
            }
        }
    }

    private static String fmt(double us) {
        return Stats.fmt(us, us >= 100 ? 0 : 1);
    }

    /** p50 and p99 in us from the perl program's output; fails when it failed. */
    private static double[] parse(String out) {
        Matcher m = out == null ? null : P50_P99.matcher(out);
        if (m == null || !m.find()) {
            throw new IllegalStateException("IO::AIO latency run failed: " + out);
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** aio round trips on a fresh engine (its workers started by a first request, outside the time). */
    private static void aioTrips(Backends.Config config, Path stat, long[] out) {
        int[] failed = {0};
        try (AioEngine aio = config.engine(THREADS)) {
            for (int i = -out.length / 10; i < out.length; i++) {
                calledBack = 0;
                long t0 = System.nanoTime();
                if (stat == null) {
                    aio.nop(r -> calledBack = System.nanoTime());
                } else {
                    aio.stat(stat, r -> {
                        calledBack = System.nanoTime();
                        if (!r.ok()) {
                            failed[0]++;
                        }
                    });
                }
                while (calledBack == 0) {
                    aio.poll();
                }
                if (i >= 0) {
                    out[i] = calledBack - t0;
                }
            }
        }
        if (failed[0] != 0) {
            throw new IllegalStateException(failed[0] + " stats of " + stat + " failed");
        }
    }

    /** Round trips through an executor: submit, then Future.get. */
    private static void executorTrips(ExecutorService ex, Path stat, long[] out) throws Exception {
        Runnable task = stat == null ? () -> { } : () -> {
            try {
                Files.readAttributes(stat, StatBench.ATTRIBUTES);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        for (int i = -out.length / 10; i < out.length; i++) {
            long t0 = System.nanoTime();
            ex.submit(task).get();
            long t1 = System.nanoTime();
            if (i >= 0) {
                out[i] = t1 - t0;
            }
        }
    }

    // ------------------------------------------------------------------ priority

    /**
     * The unrecorded rounds each priority variant runs first: a fifth of the recorded ones, at least
     * 10. With a single warm-up round, the first variant's p99.9 was its JIT warm-up (its worst
     * rounds were among its first 300), not its steady state.
     *
     * @param rounds the recorded rounds
     * @return the warm-up rounds
     */
    static int warmUpRounds(int rounds) {
        return Math.max(10, rounds / 5);
    }

    private static void priority(Path file, int rounds, List<Backends.Config> configs, IoAioPeer ioaio) throws Exception {
        System.out.println();
        System.out.println("## a priority-4 request while " + QUEUED + " priority-0 requests wait");
        System.out.println("# each round: every worker blocked by a gate request (aio: custom, waiting on a latch; executors: a task"
                + " waiting on a latch; IO::AIO: a read of an empty pipe), then " + QUEUED + " stats of one cached file at priority 0, all"
                + " waiting, then one nop at priority 4; the gate opens right after that nop's submission, and the nop is timed from its"
                + " submission to its callback / Future.get on the submitting thread; then the rest drains; " + rounds
                + " rounds (after " + warmUpRounds(rounds) + " unrecorded ones, for every implementation), p50, p99 and p99.9 over the rounds (the sample at rank (n - 1) * q of the sorted"
                + " rounds: with 1000 rounds p99.9 is the second-worst); one engine / pool per variant for every round; " + THREADS
                + " worker threads everywhere");
        System.out.println("# \"queued at submit\": requests waiting when the priority-4 one was submitted (median over the rounds);"
                + " Vert.x's executeBlocking has no priority (FIFO, as the first ThreadPoolExecutor), so it is not run; IO::AIO: a perl"
                + " program of this harness (ioaio-bench.pl has no such workload)");
        Map<String, long[]> lat = new LinkedHashMap<>();
        Map<String, long[]> waiting = new LinkedHashMap<>();
        for (Backends.Config c : configs) {
            String k = "aio (" + c.name() + "), pri(4)";
            long[] l = new long[rounds];
            long[] w = new long[rounds];
            aioPriority(c, file, l, w);
            lat.put(k, l);
            waiting.put(k, w);
        }
        for (boolean prioritized : new boolean[] {false, true}) {
            String k = prioritized ? "ThreadPoolExecutor, PriorityBlockingQueue" : "ThreadPoolExecutor, FIFO";
            long[] l = new long[rounds];
            long[] w = new long[rounds];
            tpePriority(prioritized, file, l, w);
            lat.put(k, l);
            waiting.put(k, w);
        }
        double[] io = null;
        String ioReady = "n/a";
        if (ioaio.unavailable() == null) {
            String out = ioaio.inline(IOAIO_PRIORITY, file.toString(), Integer.toString(QUEUED), Integer.toString(rounds),
                    Integer.toString(THREADS), Integer.toString(warmUpRounds(rounds)));
            double[] p = parse(out);
            Matcher m999 = P999.matcher(out);
            io = new double[] {p[0], p[1], m999.find() ? Double.parseDouble(m999.group(1)) : Double.NaN};
            Matcher m = READY.matcher(out);
            ioReady = m.find() ? m.group(1) : "n/a";
        }

        System.out.println("| implementation | threads | queued at submit | p50 (us) | p99 (us) | p99.9 (us) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        Map<String, double[]> pct = new LinkedHashMap<>();
        lat.forEach((k, l) -> {
            long[] s = l.clone();
            Arrays.sort(s);
            long[] w = waiting.get(k).clone();
            Arrays.sort(w);
            double[] p = {s[(s.length - 1) / 2] / 1e3, s[(int) ((s.length - 1) * 0.99)] / 1e3, s[(int) ((s.length - 1) * 0.999)] / 1e3};
            pct.put(k, p);
            System.out.println("| " + k + " | " + THREADS + " | " + w[(w.length - 1) / 2] + " | " + fmt(p[0]) + " | " + fmt(p[1]) + " | "
                    + fmt(p[2]) + " |");
        });
        if (io != null) {
            pct.put("IO::AIO 4.8", io);
            System.out.println("| IO::AIO 4.8, aioreq_pri 4 | " + THREADS + " | " + ioReady + " | " + fmt(io[0]) + " | " + fmt(io[1]) + " | "
                    + fmt(io[2]) + " |");
        } else {
            System.out.println("| IO::AIO 4.8 | " + THREADS + " | | n/a: " + ioaio.unavailable() + " | | |");
        }
        System.out.println();
        System.out.println("# ratios of the medians above: peer / aio (above 1: the priority-4 request waits longer with the peer)");
        List<String> peers = List.of("ThreadPoolExecutor, FIFO", "ThreadPoolExecutor, PriorityBlockingQueue", "IO::AIO 4.8");
        List<String> short_ = List.of("TPE FIFO", "TPE PriorityBlockingQueue", "IO::AIO 4.8");
        StringBuilder h = new StringBuilder("| aio backend | aio p50 (us) | aio p99 (us) | aio p99.9 (us) |");
        StringBuilder a = new StringBuilder("|---|---:|---:|---:|");
        for (int q = 0; q < 3; q++) {
            for (String s : short_) {
                h.append(' ').append(s).append(" / aio, ").append(q == 0 ? "p50" : q == 1 ? "p99" : "p99.9").append(" |");
                a.append("---:|");
            }
        }
        System.out.println(h);
        System.out.println(a);
        for (Backends.Config c : configs) {
            double[] ap = pct.get("aio (" + c.name() + "), pri(4)");
            StringBuilder r = new StringBuilder("| " + c.name() + " | " + fmt(ap[0]) + " | " + fmt(ap[1]) + " | " + fmt(ap[2]) + " |");
            for (int q = 0; q < 3; q++) {
                for (String peer : peers) {
                    double[] pp = pct.get(peer);
                    r.append(' ').append(pp == null ? "n/a" : Stats.fmt(pp[q] / ap[q], 2)).append(" |");
                }
            }
            System.out.println(r);
        }
    }

    /**
     * aio, per round: a gate request per worker ({@code custom}, waiting on a latch), QUEUED stats
     * at priority 0, then {@code pri(4)} + nop and the gate opened; the nop's latency and the
     * requests ready at its submission.
     */
    private static void aioPriority(Backends.Config config, Path file, long[] lat, long[] waiting) throws InterruptedException {
        try (AioEngine aio = config.engine(THREADS)) {
            long[] failed = {0};
            for (int r = -warmUpRounds(lat.length); r < lat.length; r++) {
                CountDownLatch running = new CountDownLatch(THREADS);
                CountDownLatch gate = new CountDownLatch(1);
                for (int i = 0; i < THREADS; i++) {
                    aio.custom(() -> {
                        running.countDown();
                        gate.await();
                        return null;
                    }, res -> { });
                }
                running.await();
                for (int i = 0; i < QUEUED; i++) {
                    aio.stat(file, res -> {
                        if (!res.ok()) {
                            failed[0]++;
                        }
                    });
                }
                int ready = aio.nready();
                calledBack = 0;
                aio.pri(4);
                long t0 = System.nanoTime();
                aio.nop(res -> calledBack = System.nanoTime());
                gate.countDown();
                aio.flush();
                if (r >= 0) {
                    lat[r] = calledBack - t0;
                    waiting[r] = ready;
                }
            }
            if (failed[0] != 0) {
                throw new IllegalStateException(failed[0] + " stats failed");
            }
        }
    }

    /** A task of the priority executor: higher priority first, then submission order. */
    private static final class PriorityTask extends FutureTask<Object> implements Comparable<PriorityTask> {
        private static final AtomicLong SEQ = new AtomicLong();
        private final int pri;
        private final long seq = SEQ.getAndIncrement();

        PriorityTask(Runnable r, int pri) {
            super(r, null);
            this.pri = pri;
        }

        @Override
        public int compareTo(PriorityTask o) {
            return pri != o.pri ? Integer.compare(o.pri, pri) : Long.compare(seq, o.seq);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq);
        }
    }

    /** A 2-thread executor, FIFO or ordered by priority: per round, a gate task per thread, QUEUED stat tasks, then the priority-4 nop task and the gate opened. */
    private static void tpePriority(boolean prioritized, Path file, long[] lat, long[] waiting) throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.MINUTES,
                prioritized ? new PriorityBlockingQueue<>() : new LinkedBlockingQueue<>());
        pool.prestartAllCoreThreads();
        AtomicLong failed = new AtomicLong();
        Runnable stat = () -> {
            try {
                Files.readAttributes(file, StatBench.ATTRIBUTES);
            } catch (IOException e) {
                failed.incrementAndGet();
            }
        };
        try {
            for (int r = -warmUpRounds(lat.length); r < lat.length; r++) {
                CountDownLatch running = new CountDownLatch(THREADS);
                CountDownLatch gate = new CountDownLatch(1);
                for (int i = 0; i < THREADS; i++) {
                    pool.execute(new PriorityTask(() -> {
                        running.countDown();
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, 0));
                }
                running.await();
                List<Future<?>> all = new ArrayList<>(QUEUED);
                for (int i = 0; i < QUEUED; i++) {
                    PriorityTask t = new PriorityTask(stat, 0);
                    pool.execute(t);
                    all.add(t);
                }
                int ready = pool.getQueue().size();
                PriorityTask urgent = new PriorityTask(() -> { }, 4);
                long t0 = System.nanoTime();
                pool.execute(urgent);
                gate.countDown();
                urgent.get();
                long t1 = System.nanoTime();
                for (Future<?> f : all) {
                    f.get();
                }
                if (r >= 0) {
                    lat[r] = t1 - t0;
                    waiting[r] = ready;
                }
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (failed.get() != 0) {
            throw new IllegalStateException(failed.get() + " stats failed");
        }
    }
}
