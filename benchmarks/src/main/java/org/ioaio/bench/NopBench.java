package org.ioaio.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;

/**
 * Request overhead: N nops queued at once, then flushed (callbacks delivered by pollCb included),
 * for N = 10k, 100k, 1M; next to a bare {@link ThreadPoolExecutor} with 8 threads running N no-op
 * tasks submitted at once, and IO::AIO 4.8's {@code aio_nop} with 8 threads, in the same run.
 * Then bytes retained per queued request (engine with no thread, so everything stays queued)
 * next to a {@code ThreadPoolExecutor} queue of {@code execute} lambdas and {@code
 * CompletableFuture.runAsync} tasks.
 *
 * <p>Usage: {@code NopBench [--quick] [--passes N] [--ioaio-runs N] [--shared-bench DIR]}; IO::AIO runs
 * in a subprocess {@code --ioaio-runs} times per size (3, 1 with {@code --quick}): at 1M queued one run
 * takes about a minute.
 */
public final class NopBench {

    /** Counts callbacks; only the polling thread writes it. */
    private static long delivered;

    private static final AioCallback<Void> COUNT = r -> delivered++;

    private NopBench() {}

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int passes = 5;
        int ioaioRuns = -1;
        Path shared = Path.of("..", "shared", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--ioaio-runs" -> ioaioRuns = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (quick) {
            passes = Math.min(passes, 3);
        }
        if (ioaioRuns < 1) {
            ioaioRuns = quick ? 1 : 3;
        }
        int[] sizes = quick ? new int[] {10_000, 100_000} : new int[] {10_000, 100_000, 1_000_000};
        IoAioPeer ioaio = IoAioPeer.find(shared);

        System.out.println("# nop overhead: us per request, median of " + passes + " passes (IO::AIO: of " + ioaioRuns
                + " runs); 8 worker threads everywhere");
        System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        if (ioaio.unavailable() != null) {
            System.out.println("# IO::AIO skipped: " + ioaio.unavailable());
        }
        // warm-up: JIT both paths before measuring
        for (int i = 0; i < 3; i++) {
            aioNop(200_000);
            tpeNop(200_000);
        }
        System.out.println("| queued | aio (us/op) | ThreadPoolExecutor 8 (us/op) | aio / TPE | IO::AIO 4.8 (us/op) | IO::AIO / aio |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int n : sizes) {
            double[] a = new double[passes];
            double[] t = new double[passes];
            for (int p = 0; p < passes; p++) {
                a[p] = aioNop(n);
                t[p] = tpeNop(n);
            }
            double am = Stats.median(a);
            double tm = Stats.median(t);
            OptionalDouble io = ioaio.unavailable() == null ? medianIoAio(ioaio, n, ioaioRuns) : OptionalDouble.empty();
            System.out.println("| " + n + " | " + Stats.fmt(am, 3) + " | " + Stats.fmt(tm, 3) + " | " + Stats.fmt(am / tm, 2)
                    + " | " + (io.isPresent() ? Stats.fmt(io.getAsDouble(), 2) : "n/a") + " | "
                    + (io.isPresent() ? Stats.fmt(io.getAsDouble() / am, 1) + "x" : "n/a") + " |");
        }

        int m = quick ? 200_000 : 1_000_000;
        System.out.println();
        System.out.println("# heap retained per queued request (" + m + " queued, nothing executing)");
        System.out.println("| what | bytes per queued request |");
        System.out.println("|---|---:|");
        System.out.println("| aio nop, callback form | " + Stats.fmt(aioRetained(m, false), 1) + " |");
        System.out.println("| aio nop, future form | " + Stats.fmt(aioRetained(m, true), 1) + " |");
        System.out.println("| ThreadPoolExecutor execute(lambda) | " + Stats.fmt(tpeRetained(m, false), 1) + " |");
        System.out.println("| CompletableFuture.runAsync | " + Stats.fmt(tpeRetained(m, true), 1) + " |");
    }

    /** N nops queued at once, then flushed; returns us per request. */
    static double aioNop(int n) {
        try (AioEngine aio = AioEngine.builder().minParallel(8).maxIdle(8).build()) {
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

    /** N no-op tasks submitted at once to a fresh 8-thread pool, until all ran; us per task. */
    static double tpeNop(int n) throws InterruptedException {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
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

    private static void noop() {
        // the task of the peer: nothing
    }

    private static OptionalDouble medianIoAio(IoAioPeer ioaio, int n, int runs) {
        double[] v = new double[runs];
        for (int i = 0; i < runs; i++) {
            OptionalDouble r = ioaio.usPerOp("nop", Integer.toString(n), "8");
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
