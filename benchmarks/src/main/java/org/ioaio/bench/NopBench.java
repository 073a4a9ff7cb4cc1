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
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;

/**
 * Request overhead, in one run:
 *
 * <ul>
 *   <li>N nops queued at once, then flushed (callbacks delivered by pollCb included), for N = 10k,
 *       100k, 1M (10k, 100k with {@code --quick}); next to a bare {@link ThreadPoolExecutor} with 8
 *       threads running N no-op tasks submitted at once, virtual threads (one per task, all started
 *       at once), Vert.x 5's unordered {@code executeBlocking} of an empty task with 8 worker
 *       threads (submitted from its event loop, completions counted there), and IO::AIO 4.8's
 *       {@code aio_nop} with 8 threads;
 *   <li>the same queued nops next to a {@code ThreadPoolExecutor} whose results come back to the
 *       submitting thread, as aio's callbacks do ({@code flush} delivers each on the thread that
 *       calls it): the JDK's {@link ExecutorCompletionService}, each task's result taken there;
 *       the bare {@code ThreadPoolExecutor} above delivers nothing;
 *   <li>nops through a group: one group, {@code limit(64)}, a feeder issuing {@code nop} (100k, 20k
 *       with {@code --quick}); next to the same peers with at most 64 in flight, and IO::AIO's
 *       {@code aio_group} + {@code limit 64} + {@code feed} (a perl program of this harness: {@code
 *       ioaio-bench.pl} has no such workload);
 *   <li>bytes retained per queued request (an engine with no thread, so everything stays queued)
 *       next to a {@code ThreadPoolExecutor} queue of {@code execute} lambdas and {@code
 *       CompletableFuture.runAsync} tasks.
 * </ul>
 *
 * A nop makes no syscall, so it runs on the first engine configuration of {@link
 * Backends#configs} only. Each pass runs every variant once, each after a {@code System.gc()},
 * starting one variant later than the pass before ({@link Variant#runPass}); figures are medians
 * over passes, 4 times as many as {@code --passes} says, 10 times at 10k queued ({@link #passesFor}).
 *
 * <p>Usage: {@code NopBench [--quick] [--passes N] [--ioaio-runs N] [--ioaio-up-to N] [--shared-bench
 * DIR]}; IO::AIO runs in a subprocess {@code --ioaio-runs} times per size (3, 1 with {@code
 * --quick}), at the sizes up to {@code --ioaio-up-to} (all by default): at 1M queued one run takes
 * 70 to 100 s.
 */
public final class NopBench {

    /** The in-flight limit of the group workload, as IO::AIO's anchor figure uses. */
    static final int GROUP_LIMIT = 64;

    /** Worker threads of every variant of the nop workloads (IO::AIO's default max_parallel is 4; ioaio-bench.pl uses 8). */
    static final int THREADS = 8;

    /** IO::AIO: ARGV[0] nops through a group with limit 64 and a feeder, ARGV[1] threads; prints us_per_op. */
    private static final String IOAIO_NOP_GROUP = "use IO::AIO; use Time::HiRes qw(time);"
            + " IO::AIO::min_parallel $ARGV[1]; IO::AIO::max_parallel $ARGV[1];"
            + " my ($left, $n) = ($ARGV[0], 0); my $t0 = time;"
            + " my $grp = aio_group sub {}; limit $grp 64;"
            + " feed $grp sub { $left-- > 0 or return; add $grp aio_nop sub { $n++ } };"
            + " IO::AIO::flush; my $dt = time - $t0;"
            + " printf \"nop-group n=%d seconds=%.4f us_per_op=%.3f\\n\", $n, $dt, 1e6 * $dt / $n;";

    /** Counts callbacks; only the polling thread writes it. */
    private static long delivered;

    private static final AioCallback<Void> COUNT = r -> delivered++;

    private NopBench() {}

    /**
     * Runs the benchmark and prints the tables.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int passes = 5;
        int ioaioRuns = -1;
        int ioaioUpTo = Integer.MAX_VALUE;
        Path shared = Path.of("..", "shared", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--ioaio-runs" -> ioaioRuns = Integer.parseInt(args[++i]);
                case "--ioaio-up-to" -> ioaioUpTo = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be 1 or more");
        }
        if (quick) {
            passes = Math.min(passes, 3);
        }
        if (ioaioRuns < 1) {
            ioaioRuns = quick ? 1 : 3;
        }
        int[] sizes = quick ? new int[] {10_000, 100_000} : new int[] {10_000, 100_000, 1_000_000};
        int groupN = quick ? 20_000 : 100_000;
        IoAioPeer ioaio = IoAioPeer.find(shared);
        Backends.Config aioConfig = Backends.configs(AioBackend.AUTO).get(0);
        Windowed.Pool vt = Windowed.virtualThreads();
        String vertxWhy = VertxPeer.unavailable();
        String vtWhy = vt == null ? "Java " + Runtime.version().feature() + " has no virtual threads (21+)" : null;

        System.out.println("# nop overhead: us per request, median of " + passesFor(100_000, passes) + " passes, "
                + passesFor(10_000, passes) + " at 10000 queued (IO::AIO: of " + ioaioRuns + " runs); " + THREADS
                + " worker threads everywhere (virtual threads: one per task, on the JVM's carriers)");
        System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores; aio "
                + aioConfig.name() + (vertxWhy == null ? "; " + VertxPeer.version()
                        + " executeBlocking(task, ordered=false) from its event loop, " + THREADS + " worker threads" : ""));
        if (ioaio.unavailable() == null && ioaioUpTo < sizes[sizes.length - 1]) {
            System.out.println("# IO::AIO runs up to " + ioaioUpTo + " queued here (--ioaio-up-to): above, one run takes over a minute"
                    + " (benchmarks/bench.sh nop runs every size)");
        }
        if (ioaio.unavailable() != null) {
            System.out.println("# IO::AIO skipped: " + ioaio.unavailable());
        }
        if (vtWhy != null) {
            System.out.println("# virtual threads skipped: " + vtWhy);
        }
        if (vertxWhy != null) {
            System.out.println("# Vert.x skipped: " + vertxWhy);
        }
        // warm-up: JIT every path before measuring
        for (int i = 0; i < 3; i++) {
            aioNop(aioConfig, 200_000);
            tpeNop(200_000);
            tpeCompletionNop(200_000);
            aioNopGroup(aioConfig, 50_000);
            Windowed.run(Windowed.threadPool(THREADS), 50_000, GROUP_LIMIT, NopBench::noop);
            if (vt != null) {
                vtNop(vt, 200_000);
                Windowed.run(vt, 50_000, GROUP_LIMIT, NopBench::noop);
            }
            if (vertxWhy == null) {
                vertxNop(200_000, 0);
                vertxNop(50_000, GROUP_LIMIT);
            }
        }

        System.out.println("| queued | aio (us/op) | ThreadPoolExecutor 8 (us/op) | virtual threads (us/op) | Vert.x executeBlocking (us/op) "
                + "| IO::AIO 4.8 (us/op) | aio / TPE | aio / virtual threads | aio / Vert.x | IO::AIO / aio |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<double[][]> withDelivery = new ArrayList<>();
        for (int n : sizes) {
            int runs = passesFor(n, passes);
            double[] a = new double[runs];
            double[] t = new double[runs];
            double[] c = new double[runs];
            double[] v = new double[runs];
            double[] x = new double[runs];
            withDelivery.add(new double[][] {a, t, c});
            List<Variant> variants = new ArrayList<>();
            variants.add(p -> a[p] = aioNop(aioConfig, n));
            variants.add(p -> t[p] = tpeNop(n));
            variants.add(p -> c[p] = tpeCompletionNop(n));
            if (vt != null) {
                variants.add(p -> v[p] = vtNop(vt, n));
            }
            if (vertxWhy == null) {
                variants.add(p -> x[p] = vertxNop(n, 0));
            }
            for (int p = 0; p < runs; p++) {
                Variant.runPass(variants, p);
            }
            OptionalDouble io = ioaio.unavailable() == null && n <= ioaioUpTo ? medianIoAio(ioaio, n, ioaioRuns) : OptionalDouble.empty();
            System.out.println(ratioRow(Integer.toString(n), a, t, vt != null ? v : null, vertxWhy == null ? x : null, io));
        }

        System.out.println();
        System.out.println("## ThreadPoolExecutor with its results delivered to the submitting thread");
        System.out.println("# the same passes as above: aio's callbacks run on the thread in flush(), the one that submitted;"
                + " the ThreadPoolExecutor 8 above delivers nothing. Here the same pool under the JDK's ExecutorCompletionService:"
                + " N tasks submitted at once, each returning its index, then every result taken on the submitting thread;"
                + " us per request, median of the same passes (" + passesFor(100_000, passes) + ", "
                + passesFor(10_000, passes) + " at 10000 queued)");
        System.out.println("| queued | aio (us/op) | ThreadPoolExecutor 8, nothing delivered (us/op) "
                + "| ThreadPoolExecutor 8 + ExecutorCompletionService (us/op) | aio / ThreadPoolExecutor 8 + ExecutorCompletionService |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int i = 0; i < sizes.length; i++) {
            double am = Stats.median(withDelivery.get(i)[0]);
            double tm = Stats.median(withDelivery.get(i)[1]);
            double cm = Stats.median(withDelivery.get(i)[2]);
            System.out.println("| " + sizes[i] + " | " + Stats.fmt(am, 3) + " | " + Stats.fmt(tm, 3) + " | " + Stats.fmt(cm, 3)
                    + " | " + Stats.fmt(am / cm, 2) + " |");
        }

        System.out.println();
        System.out.println("## nop through a group, limit " + GROUP_LIMIT);
        System.out.println("# " + groupN + " nops: aio one group, limit(" + GROUP_LIMIT + "), a feeder issuing nop; the Java peers keep at most "
                + GROUP_LIMIT + " tasks in flight (a semaphore; Vert.x: each completion submits the next); IO::AIO aio_group + limit "
                + GROUP_LIMIT + " + feed (a perl program of this harness: ioaio-bench.pl has no such workload), " + THREADS
                + " threads; us per request, median of " + passes + " passes (IO::AIO: of " + ioaioRuns + " runs)");
        double[] ga = new double[passes];
        double[] gt = new double[passes];
        double[] gv = new double[passes];
        double[] gx = new double[passes];
        List<Variant> group = new ArrayList<>();
        group.add(p -> ga[p] = aioNopGroup(aioConfig, groupN));
        group.add(p -> gt[p] = Windowed.run(Windowed.threadPool(THREADS), groupN, GROUP_LIMIT, NopBench::noop));
        if (vt != null) {
            group.add(p -> gv[p] = Windowed.run(vt, groupN, GROUP_LIMIT, NopBench::noop));
        }
        if (vertxWhy == null) {
            group.add(p -> gx[p] = vertxNop(groupN, GROUP_LIMIT));
        }
        for (int p = 0; p < passes; p++) {
            Variant.runPass(group, p);
        }
        OptionalDouble gio = OptionalDouble.empty();
        if (ioaio.unavailable() == null) {
            double[] r = new double[ioaioRuns];
            for (int i = 0; i < ioaioRuns && r != null; i++) {
                OptionalDouble one = ioaio.usPerOpInline(IOAIO_NOP_GROUP, Integer.toString(groupN), Integer.toString(THREADS));
                if (one.isPresent()) {
                    r[i] = one.getAsDouble();
                } else {
                    r = null;
                }
            }
            gio = r == null ? OptionalDouble.empty() : OptionalDouble.of(Stats.median(r));
        }
        System.out.println("| in flight | aio (us/op) | ThreadPoolExecutor 8 (us/op) | virtual threads (us/op) | Vert.x executeBlocking (us/op) "
                + "| IO::AIO 4.8 (us/op) | aio / TPE | aio / virtual threads | aio / Vert.x | IO::AIO / aio |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        System.out.println(ratioRow(Integer.toString(GROUP_LIMIT), ga, gt, vt != null ? gv : null, vertxWhy == null ? gx : null, gio));

        int m = quick ? 200_000 : 1_000_000;
        System.out.println();
        System.out.println("## heap retained per queued request");
        System.out.println("# " + m + " queued, nothing executing; heap used after GC, before and after queueing");
        System.out.println("| what | bytes per queued request |");
        System.out.println("|---|---:|");
        System.out.println("| aio nop, callback form | " + Stats.fmt(aioRetained(m, false), 1) + " |");
        System.out.println("| aio nop, future form | " + Stats.fmt(aioRetained(m, true), 1) + " |");
        System.out.println("| ThreadPoolExecutor execute(lambda) | " + Stats.fmt(tpeRetained(m, false), 1) + " |");
        System.out.println("| CompletableFuture.runAsync | " + Stats.fmt(tpeRetained(m, true), 1) + " |");
    }

    /** One row of a nop table: the medians, then the ratios; n/a where a peer was skipped. */
    private static String ratioRow(String first, double[] a, double[] t, double[] v, double[] x, OptionalDouble io) {
        double am = Stats.median(a);
        double tm = Stats.median(t);
        double vm = v != null ? Stats.median(v) : Double.NaN;
        double xm = x != null ? Stats.median(x) : Double.NaN;
        double im = io.isPresent() ? io.getAsDouble() : Double.NaN;
        return "| " + first + " | " + Stats.fmt(am, 3) + " | " + Stats.fmt(tm, 3) + " | " + na(vm, 3) + " | " + na(xm, 3)
                + " | " + na(im, 2) + " | " + Stats.fmt(am / tm, 2) + " | " + na(am / vm, 2) + " | " + na(am / xm, 2)
                + " | " + (Double.isNaN(im) ? "n/a" : Stats.fmt(im / am, 1) + "x") + " |";
    }

    private static String na(double v, int digits) {
        return Double.isNaN(v) ? "n/a" : Stats.fmt(v, digits);
    }

    /**
     * The passes at {@code n} queued: 4 times {@code passes} at 100k and 1M, 10 times at 10k. A 10k
     * run lasts 2 to 8 ms, and over 200 runs its 10th and 90th percentiles were 2x apart for aio and
     * for the ThreadPoolExecutor alike, so the median of 5 ranged from 0.7x to 2.5x. From 100k the
     * ThreadPoolExecutor is bimodal: its workers either keep up with the submitter and park after
     * nearly every task (0.12-0.15 us per task) or fall behind and never park (0.05-0.07); over 100
     * runs at 100k its 10th percentile was 0.051 and its median 0.145 (aio's 0.069 and 0.098), and
     * in five suite runs the median of 5 at 1M was 0.061, 0.126, 0.114, 0.135 and 0.068. The extra
     * passes cost about 20 s.
     */
    static int passesFor(int n, int passes) {
        return n <= 10_000 ? passes * 10 : passes * 4;
    }

    /** N nops queued at once, then flushed; returns us per request. */
    static double aioNop(Backends.Config config, int n) {
        try (AioEngine aio = config.engine(THREADS)) {
            delivered = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                aio.nop(COUNT);
            }
            aio.flush();
            long t1 = System.nanoTime();
            if (delivered != n) {
                throw new IllegalStateException("delivered " + delivered + " of " + n);
            }
            return (t1 - t0) / 1e3 / n;
        }
    }

    /** The group feeder's count of nops issued; only the polling (feeding) thread writes it. */
    private static int issued;

    /** N nops through one group with limit 64 and a feeder, flushed; returns us per request. */
    static double aioNopGroup(Backends.Config config, int n) {
        try (AioEngine aio = config.engine(THREADS)) {
            delivered = 0;
            issued = 0;
            long t0 = System.nanoTime();
            aio.group(g -> {
                g.limit(GROUP_LIMIT);
                g.feed(grp -> {
                    if (issued < n) {
                        issued++;
                        grp.add(aio.nop(COUNT));
                    }
                });
            }, null);
            aio.flush();
            long t1 = System.nanoTime();
            if (delivered != n) {
                throw new IllegalStateException("group: delivered " + delivered + " of " + n);
            }
            return (t1 - t0) / 1e3 / n;
        }
    }

    /** N no-op tasks submitted at once to a fresh 8-thread pool, until all ran; us per task. */
    static double tpeNop(int n) throws InterruptedException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pool.execute(NopBench::noop);
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("pool did not finish");
        }
        long t1 = System.nanoTime();
        if (pool.getCompletedTaskCount() != n) {
            throw new IllegalStateException("completed " + pool.getCompletedTaskCount() + " of " + n);
        }
        return (t1 - t0) / 1e3 / n;
    }

    /**
     * N tasks, each returning its index, submitted at once to a fresh 8-thread pool through an
     * {@link ExecutorCompletionService}, then every result taken on this thread; us per task.
     */
    static double tpeCompletionNop(int n) throws InterruptedException, ExecutionException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int index = i;
                done.submit(() -> index);
            }
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += done.take().get();
            }
            long t1 = System.nanoTime();
            if (sum != (long) n * (n - 1) / 2) {
                throw new IllegalStateException("results wrong: sum " + sum);
            }
            return (t1 - t0) / 1e3 / n;
        } finally {
            pool.shutdown();
        }
    }

    /** N no-op tasks, one virtual thread each, all started at once, until all ran; us per task. */
    static double vtNop(Windowed.Pool vt, int n) throws InterruptedException {
        java.util.concurrent.atomic.LongAdder ran = new java.util.concurrent.atomic.LongAdder();
        ExecutorService ex = vt.create();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ex.execute(ran::increment);
        }
        ex.shutdown();
        if (!ex.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("virtual threads did not finish");
        }
        long t1 = System.nanoTime();
        if (ran.sum() != n) {
            throw new IllegalStateException("ran " + ran.sum() + " of " + n);
        }
        return (t1 - t0) / 1e3 / n;
    }

    /** N empty unordered executeBlocking on a fresh Vert.x with 8 workers: all at once (window 0) or at most {@code window} in flight. */
    static double vertxNop(int n, int window) throws Exception {
        try (VertxPeer vx = VertxPeer.start(THREADS)) {
            return window == 0 ? vx.nopAtOnce(n) : vx.nopWindow(n, window);
        }
    }

    private static boolean noop(int i) {
        return true; // the task of the windowed peers: nothing
    }

    private static void noop() {
        // the task of the peer: nothing
    }

    private static OptionalDouble medianIoAio(IoAioPeer ioaio, int n, int runs) {
        double[] v = new double[runs];
        for (int i = 0; i < runs; i++) {
            OptionalDouble r = ioaio.usPerOp("nop", Integer.toString(n), Integer.toString(THREADS));
            if (r.isEmpty()) {
                return r;
            }
            v[i] = r.getAsDouble();
        }
        return OptionalDouble.of(Stats.median(v));
    }

    private static final MemoryMXBean MEM = ManagementFactory.getMemoryMXBean();

    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return MEM.getHeapMemoryUsage().getUsed();
    }

    /** Bytes retained per nop queued in an engine that runs no thread. */
    static double aioRetained(int m, boolean futures) {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).closeGracePeriod(java.time.Duration.ZERO).build()) {
            List<Object> keep = futures ? new ArrayList<>(m) : null;
            aio.nop(COUNT).cancel(); // the engine's own one-time structures exist before measuring
            long before = usedAfterGc();
            for (int i = 0; i < m; i++) {
                if (futures) {
                    aio.nop(); // the future is referenced by the request: nothing else to keep
                } else {
                    aio.nop(COUNT);
                }
            }
            long after = usedAfterGc();
            if (aio.nready() != m) {
                throw new IllegalStateException("expected " + m + " queued, found " + aio.nready());
            }
            if (keep != null) {
                keep.clear();
            }
            return (after - before) / (double) m;
        }
    }

    /** Bytes retained per task queued behind a blocked single-thread pool. */
    static double tpeRetained(int m, boolean completableFuture) throws InterruptedException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        CountDownLatch block = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                block.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long before = usedAfterGc();
        for (int i = 0; i < m; i++) {
            int captured = i;
            if (completableFuture) {
                CompletableFuture.runAsync(NopBench::noop, pool);
            } else {
                pool.execute(() -> sink(captured));
            }
        }
        long after = usedAfterGc();
        block.countDown();
        shutdown(pool);
        return (after - before) / (double) m;
    }

    private static void sink(int i) {
        if (i < 0) {
            System.out.print("");
        }
    }

    private static void shutdown(ExecutorService pool) throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }
}
