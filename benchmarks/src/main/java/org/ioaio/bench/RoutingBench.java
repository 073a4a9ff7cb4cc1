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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioGroup;
import org.ioaio.AioRequest;
import org.ioaio.IoUringMode;
import org.ioaio.IoUringOp;

/**
 * Which requests io_uring should take: per operation, the native backend's worker threads
 * ({@link IoUringMode#OFF}) against the io_uring lane (every {@link IoUringOp} routed to the ring;
 * each workload issues one kind of request only, so this is that operation routed there), in one
 * run, on cached metadata and cached data.
 *
 * <p>Both engines have 2 worker threads; every workload issues {@code --ops} requests (default
 * 10000) from a group with {@code limit(64)} and a feeder, then {@code flush()}, as applications of
 * the engine do. Each variant works on its own copy of the same fixture (so mutations of one never
 * meet the other's) and undoes its mutations outside the timed part. Every pass runs each workload
 * on both variants back to back, the variant that goes first alternating between passes (the
 * machine is shared: this keeps a slow spell from landing on one variant); figures are medians of
 * the passes ({@code --passes}, default 7).
 *
 * <p>Usage: {@code RoutingBench [--passes N] [--ops N] [--dir DIR] [--only name,name] [--verbose]};
 * run with {@code --enable-native-access=ALL-UNNAMED}. Needs the native backend and io_uring.
 */
public final class RoutingBench {

    /** Requests in flight: the group limit. */
    static final int LIMIT = 64;
    /** Worker threads of both engines. */
    static final int THREADS = 2;
    /** Files the per-file workloads (fstat, fsync, allocate, fadvise) spread their requests over. */
    static final int OPEN_FILES = 100;

    private RoutingBench() {}

    /** One measured workload: how to prepare a variant's fixture, issue request {@code i}, and undo. */
    interface Workload {
        /** The table's name. */
        String name();

        /** The operation it measures. */
        IoUringOp op();

        /** Untimed, before each timed run. */
        default void before(Fixture f) throws Exception {
        }

        /** How many requests a run makes, given the command line's count. */
        default int count(int n) {
            return n;
        }

        /** Request {@code i} of the timed run. */
        AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb);

        /** Untimed, after each timed run. */
        default void after(Fixture f) throws Exception {
        }
    }

    /** One variant's files: {@code n} small files in 100 directories, open files, scratch room. */
    static final class Fixture {
        /** The engine the untimed steps use (io_uring off). */
        final AioEngine helper;
        final Path root;
        final Path[] files;
        final Path scratch;
        /** The files of the per-file workloads, open read-write. */
        AioFile[] open;
        /** Handles the open workload made, for the close workload. */
        final AioFile[] handles;
        /** Which way the rename workload goes next. */
        boolean renamed;
        final Path big;
        final long[] offsets;

        Fixture(AioEngine helper, Path root, int n) throws IOException {
            this.helper = helper;
            this.root = root;
            this.files = new Path[n];
            byte[] data = new byte[100];
            for (int i = 0; i < n; i++) {
                Path d = root.resolve("d" + (i % 100));
                if (i < 100) {
                    Files.createDirectories(d);
                }
                files[i] = Files.write(d.resolve("f" + i), data);
            }
            this.scratch = Files.createDirectories(root.resolve("scratch"));
            for (int i = 0; i < n; i++) {
                Files.createFile(scratch("n", i)); // what the rename workload renames
            }
            this.handles = new AioFile[n];
            this.big = root.resolve("big");
            byte[] chunk = new byte[1 << 20];
            new Random(1).nextBytes(chunk);
            try (var out = Files.newOutputStream(big)) {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
            }
            Random r = new Random(2);
            this.offsets = new long[n];
            for (int i = 0; i < n; i++) {
                offsets[i] = (long) r.nextInt(64 * 256) * 4096;
            }
        }

        /** The value of a request of {@link #helper}, after flushing it. */
        <T> T now(java.util.concurrent.CompletableFuture<T> future) {
            helper.flush();
            return future.join();
        }

        Path scratch(String prefix, int i) {
            return scratch.resolve(prefix + i);
        }
    }

    /**
     * Runs the benchmark and prints the table.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int passes = 7;
        int n = 10_000;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> only = null;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--ops" -> n = Integer.parseInt(args[++i]);
                case "--dir" -> base = Path.of(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--verbose" -> verbose = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (passes < 1 || n < OPEN_FILES) {
            throw new IllegalArgumentException("--passes must be 1 or more and --ops " + OPEN_FILES + " or more");
        }
        List<Workload> workloads = new ArrayList<>();
        for (Workload w : workloads(n)) {
            if (only == null || only.contains(w.name())) {
                workloads.add(w);
            }
        }
        Path root = Files.createTempDirectory(base, "aio-routingbench-");
        try (AioEngine pool = engine(IoUringMode.OFF); AioEngine ring = engine(IoUringMode.REQUIRED)) {
            Fixture fp = new Fixture(pool, Files.createDirectory(root.resolve("pool")), n);
            Fixture fr = new Fixture(pool, Files.createDirectory(root.resolve("ring")), n);
            fp.open = openAll(pool, fp);
            fr.open = openAll(pool, fr);
            System.out.println("# RoutingBench: " + n + " requests per run, group limit " + LIMIT + " + feeder, " + THREADS
                    + " worker threads, flush; median of " + passes + " passes, pool and ring alternating within each pass");
            System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                    + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", files under " + root
                    + " (" + Files.getFileStore(root).type() + ")");
            // Warm-up: every workload once each way (JIT, dentries, inodes, the kernel's io-wq threads).
            for (Workload w : workloads) {
                timed(w, pool, fp, n);
                timed(w, ring, fr, n);
            }
            double[][] poolUs = new double[workloads.size()][passes];
            double[][] ringUs = new double[workloads.size()][passes];
            for (int p = 0; p < passes; p++) {
                for (int k = 0; k < workloads.size(); k++) {
                    Workload w = workloads.get(k);
                    if ((p + k) % 2 == 0) {
                        poolUs[k][p] = timed(w, pool, fp, n);
                        ringUs[k][p] = timed(w, ring, fr, n);
                    } else {
                        ringUs[k][p] = timed(w, ring, fr, n);
                        poolUs[k][p] = timed(w, pool, fp, n);
                    }
                    if (verbose) {
                        System.out.printf(Locale.ROOT, "# pass %d %-22s pool %8.3f ring %8.3f%n", p + 1, w.name(), poolUs[k][p], ringUs[k][p]);
                    }
                }
            }
            System.out.println("| workload | operation | pool us/op | ring us/op | ring / pool | pool min-max | ring min-max "
                    + "| ring faster in passes | faster |");
            System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
            for (int k = 0; k < workloads.size(); k++) {
                Workload w = workloads.get(k);
                double pm = median(poolUs[k]);
                double rm = median(ringUs[k]);
                int ringWins = 0;
                for (int p = 0; p < passes; p++) {
                    if (ringUs[k][p] < poolUs[k][p]) {
                        ringWins++;
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.2f | %.3f-%.3f | %.3f-%.3f | %d of %d | %s |%n", w.name(), w.op(),
                        pm, rm, rm / pm, min(poolUs[k]), max(poolUs[k]), min(ringUs[k]), max(ringUs[k]), ringWins, passes,
                        rm < pm ? "ring" : "pool");
            }
            closeAll(fp.open);
            closeAll(fr.open);
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static AioEngine engine(IoUringMode mode) {
        AioEngine.Builder b = AioEngine.builder().backend(AioBackend.NATIVE).ioUring(mode)
                .minParallel(THREADS).maxParallel(THREADS).maxIdle(THREADS);
        if (mode != IoUringMode.OFF) {
            b.ioUringOps(EnumSet.allOf(IoUringOp.class));
        }
        return b.build();
    }

    /** One timed run of {@code w}: us per request; fails if any request failed. */
    static double timed(Workload w, AioEngine aio, Fixture f, int ops) throws Exception {
        int n = w.count(ops);
        w.before(f);
        AtomicLong failed = new AtomicLong();
        int[] firstErrno = {0};
        AioCallback<Object> cb = r -> {
            if (r.errno() != 0) {
                failed.incrementAndGet();
                firstErrno[0] = r.errno();
            }
        };
        int[] next = {0};
        long t0 = System.nanoTime();
        AioGroup g = aio.group();
        g.limit(LIMIT);
        g.feed(grp -> {
            if (next[0] < n) {
                grp.add(w.submit(aio, f, next[0]++, cb));
            }
        });
        aio.flush();
        long t = System.nanoTime() - t0;
        w.after(f);
        if (failed.get() > 0) {
            throw new IllegalStateException(w.name() + ": " + failed.get() + " requests failed, errno " + firstErrno[0]);
        }
        return t / 1000.0 / n;
    }

    @SuppressWarnings("unchecked")
    private static <T> AioCallback<T> cast(AioCallback<Object> cb) {
        return (AioCallback<T>) (AioCallback<?>) cb;
    }

    /** Every workload; {@code n} requests each. */
    static List<Workload> workloads(int n) {
        List<Workload> out = new ArrayList<>();
        out.add(workload("stat", IoUringOp.STATX, (aio, f, i, cb) -> aio.stat(f.files[i], cast(cb))));
        out.add(workload("fstat", IoUringOp.STATX, (aio, f, i, cb) -> aio.stat(f.open[i % OPEN_FILES], cast(cb))));
        out.add(new Workload() {
            @Override
            public String name() {
                return "open";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.OPENAT;
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.open(f.files[i], AioConstants.O_RDONLY, 0, r -> {
                    f.handles[i] = r.value();
                    RoutingBench.<AioFile>cast(cb).onResult(r);
                });
            }

            @Override
            public void after(Fixture f) throws IOException {
                for (int i = 0; i < f.handles.length; i++) {
                    if (f.handles[i] != null) {
                        f.handles[i].close();
                        f.handles[i] = null;
                    }
                }
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "close";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.CLOSE;
            }

            @Override
            public void before(Fixture f) throws Exception {
                List<java.util.concurrent.CompletableFuture<AioFile>> opened = new ArrayList<>();
                for (int i = 0; i < f.handles.length; i++) {
                    opened.add(f.helper.open(f.files[i], AioConstants.O_RDONLY, 0));
                }
                f.helper.flush();
                for (int i = 0; i < f.handles.length; i++) {
                    f.handles[i] = opened.get(i).get();
                }
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                AioFile h = f.handles[i];
                f.handles[i] = null;
                return aio.close(h, cast(cb));
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "mkdir";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.MKDIRAT;
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.mkdir(f.scratch("m", i), 0755, cast(cb));
            }

            @Override
            public void after(Fixture f) throws IOException {
                for (int i = 0; i < n; i++) {
                    Files.delete(f.scratch("m", i));
                }
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "rmdir";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.UNLINKAT;
            }

            @Override
            public void before(Fixture f) throws IOException {
                for (int i = 0; i < n; i++) {
                    Files.createDirectory(f.scratch("r", i));
                }
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.rmdir(f.scratch("r", i), cast(cb));
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "unlink";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.UNLINKAT;
            }

            @Override
            public void before(Fixture f) throws IOException {
                for (int i = 0; i < n; i++) {
                    Files.createFile(f.scratch("u", i));
                }
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.unlink(f.scratch("u", i), cast(cb));
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "rename";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.RENAMEAT;
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                Path a = f.scratch("n", i);
                Path b = f.scratch("n.r", i);
                return f.renamed ? aio.rename(b, a, cast(cb)) : aio.rename(a, b, cast(cb));
            }

            @Override
            public void after(Fixture f) {
                f.renamed = !f.renamed;
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "link";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.LINKAT;
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.link(f.big, f.scratch("l", i), cast(cb));
            }

            @Override
            public void after(Fixture f) throws IOException {
                for (int i = 0; i < n; i++) {
                    Files.delete(f.scratch("l", i));
                }
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "symlink";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.SYMLINKAT;
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.symlink(Path.of("../d0/f0"), f.scratch("s", i), cast(cb));
            }

            @Override
            public void after(Fixture f) throws IOException {
                for (int i = 0; i < n; i++) {
                    Files.delete(f.scratch("s", i));
                }
            }
        });
        out.add(new Workload() {
            @Override
            public String name() {
                return "allocate";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.FALLOCATE;
            }

            @Override
            public void before(Fixture f) throws Exception {
                for (AioFile h : f.open) {
                    f.helper.truncate(h, 0);
                }
                f.helper.flush();
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.allocate(f.open[i % OPEN_FILES], 0, (long) (i / OPEN_FILES) * 4096, 4096, cast(cb));
            }
        });
        out.add(workload("fadvise-sequential", IoUringOp.FADVISE,
                (aio, f, i, cb) -> aio.fadvise(f.open[i % OPEN_FILES], 0, 0, AioConstants.POSIX_FADV_SEQUENTIAL, cast(cb))));
        out.add(workload("fadvise-willneed", IoUringOp.FADVISE,
                (aio, f, i, cb) -> aio.fadvise(f.open[i % OPEN_FILES], 0, 0, AioConstants.POSIX_FADV_WILLNEED, cast(cb))));
        out.add(fsync("fsync-clean", IoUringOp.FSYNC, false));
        out.add(fsync("fdatasync-clean", IoUringOp.FDATASYNC, false));
        out.add(fsync("fsync-dirty", IoUringOp.FSYNC, true));
        out.add(fsync("fdatasync-dirty", IoUringOp.FDATASYNC, true));
        out.add(new Workload() {
            private AioFile big;

            @Override
            public String name() {
                return "read-4k";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.READ;
            }

            @Override
            public void before(Fixture f) throws Exception {
                try (var in = Files.newInputStream(f.big)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream()); // cached again (uncached reads and direct writes evict it)
                }
                big = f.now(f.helper.open(f.big, AioConstants.O_RDONLY, 0));
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.read(big, f.offsets[i], ByteBuffer.allocate(4096), cast(cb));
            }

            @Override
            public void after(Fixture f) throws IOException {
                big.close();
            }
        });
        out.add(new Workload() {
            private AioFile big;
            private final ByteBuffer data = ByteBuffer.wrap(new byte[4096]).asReadOnlyBuffer();

            @Override
            public String name() {
                return "write-4k";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.WRITE;
            }

            @Override
            public void before(Fixture f) throws Exception {
                big = f.now(f.helper.open(f.big, AioConstants.O_WRONLY, 0));
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.write(big, f.offsets[i], data.duplicate(), cast(cb));
            }

            @Override
            public void after(Fixture f) throws IOException {
                big.close();
            }
        });
        out.add(new Workload() {
            private AioFile big;

            @Override
            public String name() {
                return "read-4k-uncached";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.READ;
            }

            @Override
            public void before(Fixture f) throws Exception {
                big = f.now(f.helper.open(f.big, AioConstants.O_RDONLY, 0));
                // The file is clean: DONTNEED drops its pages, so the reads go to the device.
                f.now(f.helper.fadvise(big, 0, 0, AioConstants.POSIX_FADV_DONTNEED));
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.read(big, f.offsets[i], ByteBuffer.allocate(4096), cast(cb));
            }

            @Override
            public void after(Fixture f) throws IOException {
                big.close();
            }
        });
        out.add(new Workload() {
            private AioFile big;
            private final ByteBuffer data = ByteBuffer.allocateDirect(8192).alignedSlice(4096);

            @Override
            public String name() {
                return "write-4k-direct";
            }

            @Override
            public IoUringOp op() {
                return IoUringOp.WRITE;
            }

            @Override
            public void before(Fixture f) throws Exception {
                big = f.now(f.helper.open(f.big, AioConstants.O_WRONLY | AioConstants.O_DIRECT, 0));
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return aio.write(big, f.offsets[i], data.duplicate(), cast(cb));
            }

            @Override
            public void after(Fixture f) throws IOException {
                big.close();
            }
        });
        return out;
    }

    /**
     * fsync or fdatasync of the open files: {@code clean}ed first (every file synced, untimed),
     * then {@code n} requests over them; or each file dirtied first (4 KiB written at a new
     * offset, untimed), then one request per file, each of which writes back.
     */
    static Workload fsync(String name, IoUringOp op, boolean dirty) {
        boolean data = op == IoUringOp.FDATASYNC;
        return new Workload() {
            private long offset;

            @Override
            public String name() {
                return name;
            }

            @Override
            public IoUringOp op() {
                return op;
            }

            @Override
            public int count(int n) {
                return dirty ? OPEN_FILES : n;
            }

            @Override
            public void before(Fixture f) {
                for (AioFile h : f.open) {
                    if (dirty) {
                        f.helper.write(h, 65536 + offset, ByteBuffer.wrap(new byte[4096]));
                    } else {
                        f.helper.fsync(h);
                    }
                }
                offset = (offset + 4096) % (1 << 20);
                f.helper.flush();
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                AioFile h = f.open[i % OPEN_FILES];
                return data ? aio.fdatasync(h, cast(cb)) : aio.fsync(h, cast(cb));
            }
        };
    }

    /** A workload without fixture steps. */
    interface Submit {
        AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb);
    }

    static Workload workload(String name, IoUringOp op, Submit s) {
        return new Workload() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public IoUringOp op() {
                return op;
            }

            @Override
            public AioRequest submit(AioEngine aio, Fixture f, int i, AioCallback<Object> cb) {
                return s.submit(aio, f, i, cb);
            }
        };
    }

    private static AioFile[] openAll(AioEngine aio, Fixture f) throws Exception {
        AioFile[] out = new AioFile[OPEN_FILES];
        for (int i = 0; i < OPEN_FILES; i++) {
            var fut = aio.open(f.root.resolve("o" + i), AioConstants.O_CREAT | AioConstants.O_RDWR, 0644);
            aio.flush();
            out[i] = fut.get();
            var w = aio.write(out[i], 0L, ByteBuffer.wrap(new byte[65536]));
            aio.flush();
            w.get();
        }
        return out;
    }

    private static void closeAll(AioFile[] files) throws IOException {
        for (AioFile f : files) {
            f.close();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
