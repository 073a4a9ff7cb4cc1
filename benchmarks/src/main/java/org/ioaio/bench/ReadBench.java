package org.ioaio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioResult;

/**
 * Random 4 KiB reads of a cached file (1 GiB, 256 MiB with {@code --quick}; written once with a
 * non-zero pattern, synced, read once to cache it, deleted at the end), in one run:
 *
 * <ul>
 *   <li>aio: a group with {@code limit(64)} whose feeder issues {@code aio.read(file, offset, buf)}
 *       into direct 4 KiB buffers, one per in-flight slot, with 2 and 8 worker threads;
 *   <li>{@code FileChannel.read(buf, pos)} into a direct buffer from 1 and 2 plain threads (the
 *       2 threads share one channel and split the offsets);
 *   <li>IO::AIO 4.8 ({@code ioaio-bench.pl read FILE 2 COUNT}, group limit 64), once per pass;
 *   <li>fio, psync, 2 jobs, time based (aggregate IOPS of both jobs, as wall-clock us per read).
 * </ul>
 *
 * aio and the FileChannel peers read the same offsets (seeded) and check the first byte of each
 * block against the pattern. Each pass starts one variant later than the one before. Figures are
 * medians over passes ({@code --verbose} also prints each
 * pass).
 *
 * <p>Usage: {@code ReadBench [--quick] [--passes N] [--shared-bench DIR] [--verbose] [--reads N] [--threads 2,8]
 * [--backend auto|nio|native]}: with AUTO (the default) resolving to the native layer, the NIO layer is
 * measured too, at the fewest threads.
 */
public final class ReadBench {

    static final int BLOCK = 4096;
    /** aio's group limit, as ioaio-bench.pl read uses. */
    static final int LIMIT = 64;
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
        int[] threads = {2, 8};
        AioBackend backend = AioBackend.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--verbose" -> verbose = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                case "--reads" -> reads = Integer.parseInt(args[++i]);
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
        long size = (quick ? 256L : 1024L) << 20;
        int fioSeconds = quick ? 2 : 4;
        int fioRuns = quick ? 1 : Math.min(passes, 3);
        IoAioPeer ioaio = IoAioPeer.find(shared);
        FioPeer fio = FioPeer.find();
        AioBackend used = Backends.resolve(backend);
        // When AUTO picks the native layer, the portable one is measured too (at the fewest threads).
        boolean nioToo = backend == AioBackend.AUTO && used != AioBackend.NIO;
        int nioThreads = Arrays.stream(threads).min().orElse(2);

        try (TempFiles tmp = TempFiles.file("aio-readbench-", ".dat")) {
            Path file = tmp.path();
            long tw = System.nanoTime();
            writePattern(file, size);
            cache(file);
            double setup = (System.nanoTime() - tw) / 1e9;
            long[] offsets = offsets(size, reads, 42);

            System.out.println("# random 4 KiB reads of a cached " + (size >> 20) + " MiB file: us per read, median of "
                    + passes + " passes (min-max); " + reads + " reads per run (same offsets for aio and FileChannel)");
            System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; aio backend " + used + (backend == AioBackend.AUTO ? " (AUTO)" : "")
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

            // JIT every path once before measuring.
            for (int t : threads) {
                aioRead(file, offsets, t, used);
            }
            if (nioToo) {
                aioRead(file, offsets, nioThreads, AioBackend.NIO);
            }
            channelRead(file, offsets, 1);
            channelRead(file, offsets, 2);

            double[][] aio = new double[threads.length][passes];
            double[] fc1 = new double[passes];
            double[] fc2 = new double[passes];
            double[] io = new double[passes];
            double[] aioNio = new double[passes];
            double[] fioUs = new double[fioRuns];
            boolean[] ioOk = {ioaio.unavailable() == null};
            boolean[] fioOk = {fio.unavailable() == null};
            int[] ts = threads;
            List<Variant> variants = new ArrayList<>();
            for (int k = 0; k < ts.length; k++) {
                int kk = k;
                variants.add(p -> aio[kk][p] = aioRead(file, offsets, ts[kk], used));
            }
            if (nioToo) {
                variants.add(p -> aioNio[p] = aioRead(file, offsets, nioThreads, AioBackend.NIO));
            }
            variants.add(p -> fc1[p] = channelRead(file, offsets, 1));
            variants.add(p -> fc2[p] = channelRead(file, offsets, 2));
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
                    for (int k = 0; k < threads.length; k++) {
                        b.append(" aio").append(threads[k]).append('=').append(Stats.fmt(aio[k][p], 3));
                    }
                    if (nioToo) {
                        b.append(" aio").append(nioThreads).append("-nio=").append(Stats.fmt(aioNio[p], 3));
                    }
                    b.append(" fc1=").append(Stats.fmt(fc1[p], 3)).append(" fc2=").append(Stats.fmt(fc2[p], 3))
                            .append(" ioaio=").append(Stats.fmt(io[p], 3))
                            .append(" fio=").append(p < fioRuns ? Stats.fmt(fioUs[p], 3) : "-");
                    System.out.println(b);
                }
            }

            System.out.println("| implementation | threads | us/op | min | max |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (int k = 0; k < threads.length; k++) {
                row("aio `read` (" + used + "), group limit " + LIMIT + " + feeder", Integer.toString(threads[k]), aio[k]);
            }
            if (nioToo) {
                row("aio `read` (NIO), group limit " + LIMIT + " + feeder", Integer.toString(nioThreads), aioNio);
            }
            row("`FileChannel.read(buf, pos)`", "1", fc1);
            row("`FileChannel.read(buf, pos)`, one channel", "2", fc2);
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
            double fioM = fioOk[0] ? Stats.median(fioUs) : Double.NaN;
            double ioM = ioOk[0] ? Stats.median(io) : Double.NaN;
            double fc2Min = Stats.min(fc2);
            double fioMin = fioOk[0] ? Stats.min(fioUs) : Double.NaN;
            double ioMin = ioOk[0] ? Stats.min(io) : Double.NaN;
            System.out.println();
            System.out.println("# ratios of the medians above (goal: aio / FileChannel 2 threads <= 1.5);"
                    + " the last three columns take each variant's best pass instead");
            System.out.println("| aio backend, threads | aio us/op | aio / FileChannel 2 | <= 1.5? | aio / fio | IO::AIO / aio "
                    + "| aio / FileChannel 2, best passes | aio / fio, best passes | IO::AIO / aio, best passes |");
            System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|---:|");
            for (int k = 0; k <= threads.length; k++) {
                if (k == threads.length && !nioToo) {
                    break;
                }
                double[] v = k < threads.length ? aio[k] : aioNio;
                String label = k < threads.length ? used + " " + threads[k] : "NIO " + nioThreads;
                double a = Stats.median(v);
                double aMin = Stats.min(v);
                System.out.println("| " + label + " | " + Stats.fmt(a, 3) + " | " + Stats.fmt(a / fc2M, 2)
                        + " | " + (a / fc2M <= 1.5 ? "yes" : "no")
                        + " | " + (fioOk[0] ? Stats.fmt(a / fioM, 2) : "n/a")
                        + " | " + (ioOk[0] ? Stats.fmt(ioM / a, 2) + "x" : "n/a")
                        + " | " + Stats.fmt(aMin / fc2Min, 2)
                        + " | " + (fioOk[0] ? Stats.fmt(aMin / fioMin, 2) : "n/a")
                        + " | " + (ioOk[0] ? Stats.fmt(ioMin / aMin, 2) + "x" : "n/a") + " |");
            }
        }
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
    static double aioRead(Path file, long[] offsets, int threads, AioBackend backend) throws IOException {
        try (AioEngine aio = Backends.engine(backend, threads)) {
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
