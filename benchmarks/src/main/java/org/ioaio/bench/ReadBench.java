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
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioResult;

/**
 * Random 4 KiB reads of a file (1 GiB, 256 MiB with {@code --quick}; written once with a non-zero
 * pattern, synced, read once to cache it, deleted at the end), in one run.
 *
 * <p>Cached, {@code --reads} reads per variant (100k, 50k with {@code --quick}):
 *
 * <ul>
 *   <li>aio: a group with {@code limit(64)} whose feeder issues {@code aio.read(file, offset, buf)}
 *       into direct 4 KiB buffers, one per in-flight slot: the first engine configuration of {@link
 *       Backends#ioConfigs} with 2 and 8 worker threads, every other one (io_uring off, NIO) with 2;
 *   <li>{@code FileChannel.read(buf, pos)} into a direct buffer from 1 and 2 plain threads (the
 *       2 threads share one channel and split the offsets);
 *   <li>{@code AsynchronousFileChannel.read} with a 2-thread executor and 64 reads in flight (each
 *       completion issues the next);
 *   <li>virtual threads, {@code FileChannel.read} of one shared channel, 64 in flight;
 *   <li>Vert.x 5 {@code AsyncFile.read(buffer, 0, offset, 4096)}, 64 in flight from its event loop,
 *       2 worker threads ({@link VertxPeer});
 *   <li>IO::AIO 4.8 ({@code ioaio-bench.pl read FILE 2 COUNT}, group limit 64), once per pass;
 *   <li>fio, psync, 2 jobs, time based (aggregate IOPS of both jobs, as wall-clock us per read).
 * </ul>
 *
 * <p>Uncached ({@code --uncached-reads} distinct blocks per variant, 20k, 5k with {@code --quick}; at
 * most 3 passes): the file is evicted from the page cache ({@code dd if=F iflag=nocache count=0},
 * posix_fadvise DONTNEED) before every variant of every pass, then: aio with group limit 64 at 2
 * and 32 threads (other configurations at 2), {@code FileChannel} from 2 and 32 threads, IO::AIO
 * 4.8 at 2 and 32 threads, fio psync with 2 jobs and fio io_uring with one job at queue depth 32
 * (the device's limit), each fio job bounded by {@code --io_size} so it reads as much as the others.
 *
 * aio and the Java peers read the same offsets (seeded) and check the first byte of each block
 * against the pattern. Each pass starts one variant later than the one before. Figures are medians
 * over passes ({@code --verbose} also prints each pass).
 *
 * <p>Usage: {@code ReadBench [--quick] [--passes N] [--shared-bench DIR] [--verbose] [--reads N]
 * [--uncached-reads N] [--threads 2,8] [--backend auto|nio|native]}: with AUTO (the default)
 * resolving to the native layer, the NIO layer is measured too, at the fewest threads; {@code
 * --threads} sets the first configuration's counts for the cached reads; {@code --uncached-reads 0}
 * skips the uncached part.
 */
public final class ReadBench {

    static final int BLOCK = 4096;
    /** aio's group limit, as ioaio-bench.pl read uses; also the window of the windowed peers. */
    static final int LIMIT = 64;
    /** Threads of the asynchronous peers (AsynchronousFileChannel's executor, Vert.x's workers): aio's fewest. */
    static final int PEER_THREADS = 2;
    /** The many-threads count of the uncached reads, where more requests in flight reach the device's parallelism. */
    static final int UNCACHED_MANY = 32;
    /** fio io_uring's queue depth for uncached reads: what the device takes. */
    static final int URING_DEPTH = 32;
    /** The pattern's period: byte at offset o is {@code o % PERIOD + 1}, never zero. */
    private static final int PERIOD = 251;

    private ReadBench() {}

    /**
     * Runs the benchmark and prints the tables.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean verbose = false;
        int passes = 5;
        Path shared = Path.of("..", "shared", "bench");
        int reads = -1;
        int uncachedReads = -1;
        int[] threads = {2, 8};
        AioBackend backend = AioBackend.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--verbose" -> verbose = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                case "--reads" -> reads = Integer.parseInt(args[++i]);
                case "--uncached-reads" -> uncachedReads = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--backend" -> backend = AioBackend.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be 1 or more");
        }
        if (quick) {
            passes = Math.min(passes, 3);
        }
        if (reads <= 0) {
            reads = quick ? 50_000 : 100_000;
        }
        if (uncachedReads < 0) {
            uncachedReads = quick ? 5_000 : 20_000;
        }
        long size = (quick ? 256L : 1024L) << 20;
        int fioSeconds = quick ? 2 : 4;
        int fioRuns = quick ? 1 : Math.min(passes, 3);
        IoAioPeer ioaio = IoAioPeer.find(shared);
        FioPeer fio = FioPeer.find();
        List<Backends.Config> configs = Backends.ioConfigs(backend);
        int fewest = Arrays.stream(threads).min().orElse(2);
        List<AioVariant> aioVariants = AioVariant.of(configs, threads, fewest, passes);
        Windowed.Pool vt = Windowed.virtualThreads();
        String vertxWhy = VertxPeer.unavailable();

        try (TempFiles tmp = TempFiles.file("aio-readbench-", ".dat")) {
            Path file = tmp.path();
            long tw = System.nanoTime();
            writePattern(file, size);
            cache(file);
            double setup = (System.nanoTime() - tw) / 1e9;
            long[] offsets = offsets(size, reads, 42);

            System.out.println("## cached random 4 KiB reads");
            System.out.println("# random 4 KiB reads of a cached " + (size >> 20) + " MiB file: us per read, median of "
                    + passes + " passes (min-max); " + reads + " reads per run (same offsets for aio and the Java peers)");
            System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; aio configurations " + AioVariant.names(configs) + (backend == AioBackend.AUTO ? " (AUTO)" : "")
                    + "; file written, synced and cached in " + Stats.fmt(setup, 1) + " s");
            if (ioaio.unavailable() != null) {
                System.out.println("# IO::AIO skipped: " + ioaio.unavailable());
            }
            if (fio.unavailable() != null) {
                System.out.println("# fio skipped: " + fio.unavailable());
            } else {
                System.out.println("# " + fio.version() + ": psync, numjobs=2, " + fioSeconds + " s time based, "
                        + fioRuns + " run(s); its IOPS are the sum of both jobs, shown as 1e6 / IOPS");
            }
            if (vt == null) {
                System.out.println("# virtual threads skipped: Java " + Runtime.version().feature() + " has none (21+)");
            }
            if (vertxWhy != null) {
                System.out.println("# Vert.x skipped: " + vertxWhy);
            } else {
                System.out.println("# " + VertxPeer.version() + ": FileSystem.open, then AsyncFile.read(buffer, 0, offset, 4096) (an"
                        + " AsynchronousFileChannel on its worker pool, reading into a heap buffer), " + PEER_THREADS + " worker threads");
            }

            // Untimed: the JIT compiles every path until it is steady (Variant.WARM_UP_ROUNDS).
            for (int w = 0; w < Variant.WARM_UP_ROUNDS; w++) {
                for (AioVariant v : aioVariants) {
                    aioRead(file, offsets, v.threads(), v.config());
                }
                channelRead(file, offsets, 1);
                channelRead(file, offsets, 2);
                asyncChannelRead(file, offsets);
                if (vt != null) {
                    vtRead(vt, file, offsets);
                }
                if (vertxWhy == null) {
                    vertxRead(file, offsets);
                }
            }

            double[] fc1 = new double[passes];
            double[] fc2 = new double[passes];
            double[] afc = new double[passes];
            double[] virt = new double[passes];
            double[] vx = new double[passes];
            double[] io = new double[passes];
            double[] fioUs = new double[fioRuns];
            boolean[] ioOk = {ioaio.unavailable() == null};
            boolean[] fioOk = {fio.unavailable() == null};
            List<Variant> variants = new ArrayList<>();
            for (AioVariant v : aioVariants) {
                variants.add(p -> v.values()[p] = aioRead(file, offsets, v.threads(), v.config()));
            }
            variants.add(p -> fc1[p] = channelRead(file, offsets, 1));
            variants.add(p -> fc2[p] = channelRead(file, offsets, 2));
            variants.add(p -> afc[p] = asyncChannelRead(file, offsets));
            if (vt != null) {
                variants.add(p -> virt[p] = vtRead(vt, file, offsets));
            }
            if (vertxWhy == null) {
                variants.add(p -> vx[p] = vertxRead(file, offsets));
            }
            int count = reads;
            variants.add(p -> {
                if (ioOk[0]) {
                    OptionalDouble r = ioaio.usPerOp("read", file.toString(), "2", Integer.toString(count));
                    if (r.isPresent()) {
                        io[p] = r.getAsDouble();
                    } else {
                        ioOk[0] = false;
                    }
                }
            });
            variants.add(p -> {
                if (fioOk[0] && p < fioRuns) {
                    OptionalDouble iops = fio.iops(file, size, 2, fioSeconds);
                    if (iops.isPresent()) {
                        fioUs[p] = 1e6 / iops.getAsDouble();
                    } else {
                        fioOk[0] = false;
                    }
                }
            });
            for (int p = 0; p < passes; p++) {
                Variant.runPass(variants, p);
                if (verbose) {
                    StringBuilder b = new StringBuilder("# pass " + (p + 1) + ":");
                    for (AioVariant v : aioVariants) {
                        b.append(" aio-").append(v.label()).append('=').append(Stats.fmt(v.values()[p], 3));
                    }
                    b.append(" fc1=").append(Stats.fmt(fc1[p], 3)).append(" fc2=").append(Stats.fmt(fc2[p], 3))
                            .append(" afc=").append(Stats.fmt(afc[p], 3)).append(" vt=").append(Stats.fmt(virt[p], 3))
                            .append(" vertx=").append(Stats.fmt(vx[p], 3)).append(" ioaio=").append(Stats.fmt(io[p], 3))
                            .append(" fio=").append(p < fioRuns ? Stats.fmt(fioUs[p], 3) : "-");
                    System.out.println(b);
                }
            }

            System.out.println("| implementation | threads | us/op | min | max |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (AioVariant v : aioVariants) {
                row("aio `read` (" + v.config().name() + "), group limit " + LIMIT + " + feeder", Integer.toString(v.threads()), v.values());
            }
            row("`FileChannel.read(buf, pos)`", "1", fc1);
            row("`FileChannel.read(buf, pos)`, one channel", "2", fc2);
            row("`AsynchronousFileChannel.read`, window " + LIMIT, Integer.toString(PEER_THREADS), afc);
            if (vt != null) {
                row("`FileChannel.read(buf, pos)`, virtual threads, window " + LIMIT, "virtual", virt);
            } else {
                System.out.println("| `FileChannel.read`, virtual threads | virtual | n/a: no virtual threads | | |");
            }
            if (vertxWhy == null) {
                row("Vert.x `AsyncFile.read`, window " + LIMIT, Integer.toString(PEER_THREADS), vx);
            } else {
                System.out.println("| Vert.x `AsyncFile.read` | " + PEER_THREADS + " | n/a: " + vertxWhy + " | | |");
            }
            if (ioOk[0]) {
                row("IO::AIO 4.8 `aio_read`, group limit " + LIMIT + " + feeder", "2", io);
            } else {
                System.out.println("| IO::AIO 4.8 | 2 | n/a: " + (ioaio.unavailable() != null ? ioaio.unavailable() : "run failed") + " | | |");
            }
            if (fioOk[0]) {
                row("fio psync, numjobs=2 (1e6 / aggregate IOPS)", "2", fioUs);
            } else {
                System.out.println("| fio psync | 2 | n/a: " + (fio.unavailable() != null ? fio.unavailable() : "run failed") + " | | |");
            }

            double fc2M = Stats.median(fc2);
            double afcM = Stats.median(afc);
            double vtM = vt != null ? Stats.median(virt) : Double.NaN;
            double vxM = vertxWhy == null ? Stats.median(vx) : Double.NaN;
            double fioM = fioOk[0] ? Stats.median(fioUs) : Double.NaN;
            double ioM = ioOk[0] ? Stats.median(io) : Double.NaN;
            double fc2Min = Stats.min(fc2);
            double fioMin = fioOk[0] ? Stats.min(fioUs) : Double.NaN;
            double ioMin = ioOk[0] ? Stats.min(io) : Double.NaN;
            System.out.println();
            System.out.println("# ratios of the medians above (goal: aio / FileChannel 2 threads <= 1.5);"
                    + " the last three columns take each variant's best pass instead");
            System.out.println("| aio backend, threads | aio us/op | aio / FileChannel 2 | <= 1.5? | aio / AsynchronousFileChannel "
                    + "| aio / virtual threads | aio / Vert.x | aio / fio | IO::AIO / aio "
                    + "| aio / FileChannel 2, best passes | aio / fio, best passes | IO::AIO / aio, best passes |");
            System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (AioVariant v : aioVariants) {
                double a = Stats.median(v.values());
                double aMin = Stats.min(v.values());
                System.out.println("| " + v.label() + " | " + Stats.fmt(a, 3) + " | " + Stats.fmt(a / fc2M, 2)
                        + " | " + (a / fc2M <= 1.5 ? "yes" : "no")
                        + " | " + Stats.fmt(a / afcM, 2)
                        + " | " + ratio(a, vtM)
                        + " | " + ratio(a, vxM)
                        + " | " + ratio(a, fioM)
                        + " | " + (ioOk[0] ? Stats.fmt(ioM / a, 2) + "x" : "n/a")
                        + " | " + Stats.fmt(aMin / fc2Min, 2)
                        + " | " + ratio(aMin, fioMin)
                        + " | " + (ioOk[0] ? Stats.fmt(ioMin / aMin, 2) + "x" : "n/a") + " |");
            }

            if (uncachedReads > 0) {
                uncached(file, size, uncachedReads, Math.min(passes, 3), configs, ioaio, fio, verbose);
            }
        }
    }

    /** {@code a / b} with two decimals, or n/a when {@code b} is missing. */
    private static String ratio(double a, double b) {
        return Double.isNaN(b) ? "n/a" : Stats.fmt(a / b, 2);
    }

    /**
     * The uncached reads: every variant of every pass starts with the file evicted from the page
     * cache, and reads {@code count} distinct blocks (so none is cached by an earlier read of the
     * same variant).
     */
    private static void uncached(Path file, long size, int count, int passes, List<Backends.Config> configs, IoAioPeer ioaio,
            FioPeer fio, boolean verbose) throws Exception {
        System.out.println();
        System.out.println("## uncached random 4 KiB reads");
        String evicted = evict(file);
        if (evicted != null) {
            System.out.println("# skipped: cannot evict the file from the page cache (" + evicted + ")");
            return;
        }
        long[] offsets = distinctOffsets(size, count, 43);
        System.out.println("# the " + (size >> 20) + " MiB file evicted (dd if=F iflag=nocache count=0) before every variant of every pass;"
                + " " + count + " reads of distinct blocks per run; us per read, median of " + passes + " passes (min-max)");
        System.out.println("# fio: --io_size per job so every fio run reads " + count + " blocks in all; io_uring: 1 job, iodepth "
                + URING_DEPTH + " (the device's limit); IO::AIO: ioaio-bench.pl read FILE THREADS " + count
                + " (its own random offsets, a few repeated)");
        List<AioVariant> aioVariants = AioVariant.of(configs, new int[] {2, UNCACHED_MANY}, 2, passes);
        double[] fc2 = new double[passes];
        double[] fcMany = new double[passes];
        double[] io2 = new double[passes];
        double[] ioMany = new double[passes];
        double[] psync = new double[passes];
        double[] uring = new double[passes];
        boolean[] ioOk = {ioaio.unavailable() == null};
        boolean[] fioOk = {fio.unavailable() == null};
        List<Variant> variants = new ArrayList<>();
        for (AioVariant v : aioVariants) {
            variants.add(p -> v.values()[p] = evicted(file, () -> aioRead(file, offsets, v.threads(), v.config())));
        }
        variants.add(p -> fc2[p] = evicted(file, () -> channelRead(file, offsets, 2)));
        variants.add(p -> fcMany[p] = evicted(file, () -> channelRead(file, offsets, UNCACHED_MANY)));
        for (int t : new int[] {2, UNCACHED_MANY}) {
            double[] into = t == 2 ? io2 : ioMany;
            variants.add(p -> into[p] = !ioOk[0] ? Double.NaN : evicted(file, () -> {
                OptionalDouble r = ioaio.usPerOp("read", file.toString(), Integer.toString(t), Integer.toString(count));
                ioOk[0] &= r.isPresent();
                return r.orElse(Double.NaN);
            }));
        }
        variants.add(p -> psync[p] = !fioOk[0] ? Double.NaN : evicted(file, () -> {
            OptionalDouble iops = fio.iopsUncached(file, size, "psync", 2, 1, (long) count * BLOCK / 2);
            fioOk[0] &= iops.isPresent();
            return iops.isPresent() ? 1e6 / iops.getAsDouble() : Double.NaN;
        }));
        variants.add(p -> uring[p] = !fioOk[0] ? Double.NaN : evicted(file, () -> {
            OptionalDouble iops = fio.iopsUncached(file, size, "io_uring", 1, URING_DEPTH, (long) count * BLOCK);
            fioOk[0] &= iops.isPresent();
            return iops.isPresent() ? 1e6 / iops.getAsDouble() : Double.NaN;
        }));
        for (int p = 0; p < passes; p++) {
            Variant.runPass(variants, p);
            if (verbose) {
                StringBuilder b = new StringBuilder("# uncached pass " + (p + 1) + ":");
                for (AioVariant v : aioVariants) {
                    b.append(" aio-").append(v.label()).append('=').append(Stats.fmt(v.values()[p], 2));
                }
                b.append(" fc2=").append(Stats.fmt(fc2[p], 2)).append(" fc32=").append(Stats.fmt(fcMany[p], 2))
                        .append(" ioaio2=").append(Stats.fmt(io2[p], 2)).append(" ioaio32=").append(Stats.fmt(ioMany[p], 2))
                        .append(" psync=").append(Stats.fmt(psync[p], 2)).append(" uring=").append(Stats.fmt(uring[p], 2));
                System.out.println(b);
            }
        }
        System.out.println("| implementation | threads | us/op | min | max |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (AioVariant v : aioVariants) {
            row("aio `read` (" + v.config().name() + "), group limit " + LIMIT + " + feeder", Integer.toString(v.threads()), v.values());
        }
        row("`FileChannel.read(buf, pos)`, one channel", "2", fc2);
        row("`FileChannel.read(buf, pos)`, one channel", Integer.toString(UNCACHED_MANY), fcMany);
        rowOrNa("IO::AIO 4.8 `aio_read`, group limit " + LIMIT + " + feeder", "2", io2, ioOk[0], ioaio.unavailable());
        rowOrNa("IO::AIO 4.8 `aio_read`, group limit " + LIMIT + " + feeder", Integer.toString(UNCACHED_MANY), ioMany, ioOk[0],
                ioaio.unavailable());
        rowOrNa("fio psync, numjobs=2 (1e6 / aggregate IOPS)", "2", psync, fioOk[0], fio.unavailable());
        rowOrNa("fio io_uring, 1 job, iodepth " + URING_DEPTH + " (1e6 / IOPS)", "1", uring, fioOk[0], fio.unavailable());

        double fc2M = Stats.median(fc2);
        double fcManyM = Stats.median(fcMany);
        double psyncM = fioOk[0] ? Stats.median(psync) : Double.NaN;
        double uringM = fioOk[0] ? Stats.median(uring) : Double.NaN;
        double io2M = ioOk[0] ? Stats.median(io2) : Double.NaN;
        double ioManyM = ioOk[0] ? Stats.median(ioMany) : Double.NaN;
        System.out.println();
        System.out.println("# ratios of the medians above, each aio variant against the peer at its own thread count"
                + " (FileChannel and IO::AIO) and against the device (fio)");
        System.out.println("| aio backend, threads | aio us/op | aio / FileChannel | aio / fio psync | aio / fio io_uring | IO::AIO / aio |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (AioVariant v : aioVariants) {
            double a = Stats.median(v.values());
            boolean many = v.threads() == UNCACHED_MANY;
            double io = many ? ioManyM : io2M;
            System.out.println("| " + v.label() + " | " + Stats.fmt(a, 2) + " | " + Stats.fmt(a / (many ? fcManyM : fc2M), 2)
                    + " | " + ratio(a, psyncM) + " | " + ratio(a, uringM)
                    + " | " + (Double.isNaN(io) ? "n/a" : Stats.fmt(io / a, 2) + "x") + " |");
        }
    }

    private static void rowOrNa(String what, String threads, double[] v, boolean ok, String why) {
        if (ok) {
            row(what, threads, v);
        } else {
            System.out.println("| " + what + " | " + threads + " | n/a: " + (why != null ? why : "run failed") + " | | |");
        }
    }

    /** A measured body returning us per read. */
    @FunctionalInterface
    private interface Measured {
        double run() throws Exception;
    }

    /** Evicts the file, then runs the body. */
    private static double evicted(Path file, Measured body) throws Exception {
        String failed = evict(file);
        if (failed != null) {
            throw new IllegalStateException("cannot evict " + file + ": " + failed);
        }
        return body.run();
    }

    /**
     * Drops the file's pages from the page cache: {@code dd if=F iflag=nocache count=0} calls
     * posix_fadvise(POSIX_FADV_DONTNEED) over the whole file. Its pages are clean (synced when
     * written), so every one of them goes.
     *
     * @return {@code null}, or why it failed
     */
    static String evict(Path file) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? null : "dd failed: " + out;
        } catch (IOException e) {
            return "cannot run dd: " + e.getMessage();
        }
    }

    /** {@code count} distinct block-aligned offsets in random order (a seeded partial shuffle). */
    static long[] distinctOffsets(long size, int count, long seed) {
        int blocks = (int) (size / BLOCK);
        if (count > blocks) {
            throw new IllegalArgumentException(count + " distinct blocks wanted of " + blocks);
        }
        int[] perm = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            perm[i] = i;
        }
        Random rnd = new Random(seed);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            int j = i + rnd.nextInt(blocks - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            out[i] = (long) perm[i] * BLOCK;
        }
        return out;
    }

    private static void row(String what, String threads, double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        System.out.println("| " + what + " | " + threads + " | " + Stats.fmt(Stats.median(v), 3) + " | "
                + Stats.fmt(s[0], 3) + " | " + Stats.fmt(s[s.length - 1], 3) + " |");
    }

    /** The pattern byte at file offset {@code o}. */
    static byte expected(long o) {
        return (byte) (o % PERIOD + 1);
    }

    /** Writes {@code size} bytes of the pattern and syncs them, so no writeback runs while measuring. */
    static void writePattern(Path file, long size) throws IOException {
        int chunk = 1 << 20;
        ByteBuffer pattern = ByteBuffer.allocateDirect(chunk + PERIOD);
        for (int i = 0; i < pattern.capacity(); i++) {
            pattern.put(i, expected(i));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long pos = 0; pos < size; pos += chunk) {
                int start = (int) (pos % PERIOD);
                ByteBuffer b = pattern.duplicate();
                b.position(start).limit(start + (int) Math.min(chunk, size - pos));
                while (b.hasRemaining()) {
                    ch.write(b, pos + b.position() - start);
                }
            }
            ch.force(false);
        }
    }

    /** Reads the whole file once so every page is cached. */
    static void cache(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            for (int n; (n = ch.read(b, pos)) > 0; pos += n) {
                b.clear();
            }
        }
    }

    /** {@code count} block-aligned random offsets in a file of {@code size} bytes. */
    static long[] offsets(long size, int count, long seed) {
        Random rnd = new Random(seed);
        int blocks = (int) (size / BLOCK);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = (long) rnd.nextInt(blocks) * BLOCK;
        }
        return out;
    }

    /** FileChannel positional reads from {@code threads} threads sharing one channel; us per read. */
    static double channelRead(Path file, long[] offsets, int threads) throws IOException, InterruptedException {
        AtomicLong bad = new AtomicLong();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n = offsets.length;
            Thread[] ts = new Thread[threads];
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) n * t / threads);
                int to = (int) ((long) n * (t + 1) / threads);
                ts[t] = new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
                    long wrong = 0;
                    try {
                        for (int i = from; i < to; i++) {
                            long off = offsets[i];
                            b.clear();
                            if (ch.read(b, off) != BLOCK || b.get(0) != expected(off)) {
                                wrong++;
                            }
                        }
                    } catch (IOException e) {
                        wrong = Math.max(1, to - from);
                    }
                    bad.addAndGet(wrong);
                }, "filechannel-" + t);
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            long t1 = System.nanoTime();
            if (bad.get() != 0) {
                throw new IllegalStateException("FileChannel: " + bad.get() + " of " + n + " reads wrong");
            }
            return (t1 - t0) / 1e3 / n;
        }
    }

    /**
     * {@code AsynchronousFileChannel} with an executor of 2 threads: 64 reads in flight, each
     * completion checks its block and issues the next read into the same direct buffer; us per read.
     */
    static double asyncChannelRead(Path file, long[] offsets) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PEER_THREADS);
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, Set.of(StandardOpenOption.READ), pool)) {
            int n = offsets.length;
            int slots = Math.min(n, LIMIT);
            AtomicInteger next = new AtomicInteger();
            AtomicLong bad = new AtomicLong();
            CountDownLatch idle = new CountDownLatch(slots);
            long t0 = System.nanoTime();
            for (int s = 0; s < slots; s++) {
                ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
                var h = new CompletionHandler<Integer, Long>() {
                    @Override
                    public void completed(Integer got, Long offset) {
                        if (got != BLOCK || buf.get(0) != expected(offset)) {
                            bad.incrementAndGet();
                        }
                        issue();
                    }

                    @Override
                    public void failed(Throwable e, Long offset) {
                        bad.incrementAndGet();
                        issue();
                    }

                    void issue() {
                        int i = next.getAndIncrement();
                        if (i >= n) {
                            idle.countDown();
                            return;
                        }
                        buf.clear();
                        ch.read(buf, offsets[i], offsets[i], this);
                    }
                };
                h.issue();
            }
            idle.await();
            long t1 = System.nanoTime();
            if (bad.get() != 0) {
                throw new IllegalStateException("AsynchronousFileChannel: " + bad.get() + " of " + n + " reads wrong");
            }
            return (t1 - t0) / 1e3 / n;
        } finally {
            pool.shutdown();
        }
    }

    /** Virtual threads reading one shared FileChannel, 64 in flight, each into a direct buffer of a pool of 64; us per read. */
    static double vtRead(Windowed.Pool vt, Path file, long[] offsets) throws Exception {
        ArrayBlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(LIMIT);
        for (int i = 0; i < LIMIT; i++) {
            buffers.add(ByteBuffer.allocateDirect(BLOCK));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Windowed.run(vt, offsets.length, LIMIT, i -> {
                ByteBuffer b = buffers.poll(); // never empty: at most 64 tasks hold one
                try {
                    b.clear();
                    long off = offsets[i];
                    return ch.read(b, off) == BLOCK && b.get(0) == expected(off);
                } catch (IOException e) {
                    return false;
                } finally {
                    buffers.add(b);
                }
            });
        }
    }

    /** Vert.x AsyncFile reads, 64 in flight, on a fresh Vert.x with 2 workers; us per read. */
    static double vertxRead(Path file, long[] offsets) throws Exception {
        try (VertxPeer vx = VertxPeer.start(PEER_THREADS)) {
            return vx.read(file, offsets, BLOCK, LIMIT, (off, first, len) -> len == BLOCK && first == expected(off));
        }
    }

    /** One in-flight read: its buffer, its offset, and the callback that returns it to the pool. */
    private static final class Slot implements AioCallback<Integer> {
        final ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        final AioRun run;
        long offset;

        Slot(AioRun run) {
            this.run = run;
        }

        @Override
        public void onResult(AioResult<Integer> r) {
            if (r.status() == BLOCK && buf.get(0) == expected(offset)) {
                run.delivered++;
            } else {
                run.failed++;
            }
            run.free.push(this);
        }
    }

    /** The state of one aio run; touched only by the polling (feeding) thread. */
    private static final class AioRun {
        final ArrayDeque<Slot> free = new ArrayDeque<>();
        long delivered;
        long failed;
        int next;
    }

    /** aio: one group, limit 64, a feeder issuing aio.read; flushed; us per read. */
    static double aioRead(Path file, long[] offsets, int threads, Backends.Config config) throws IOException {
        try (AioEngine aio = config.engine(threads)) {
            AioFuture<AioFile> opened = aio.open(file, AioConstants.O_RDONLY, 0);
            aio.flush();
            AioFile f = opened.join();
            try {
                int n = offsets.length;
                AioRun run = new AioRun();
                for (int i = 0; i < LIMIT; i++) {
                    run.free.push(new Slot(run));
                }
                long t0 = System.nanoTime();
                aio.group(g -> {
                    g.limit(LIMIT);
                    g.feed(grp -> {
                        int i = run.next;
                        if (i < n) {
                            run.next = i + 1;
                            Slot s = run.free.poll();
                            if (s == null) {
                                s = new Slot(run); // never expected: the limit bounds what is in flight
                            }
                            s.offset = offsets[i];
                            s.buf.clear();
                            grp.add(aio.read(f, s.offset, s.buf, s));
                        }
                    });
                }, null);
                aio.flush();
                long t1 = System.nanoTime();
                if (run.delivered != n || run.failed != 0) {
                    throw new IllegalStateException("aio read: " + run.delivered + " of " + n + " ok, " + run.failed + " wrong");
                }
                return (t1 - t0) / 1e3 / n;
            } finally {
                f.close();
            }
        }
    }
}
