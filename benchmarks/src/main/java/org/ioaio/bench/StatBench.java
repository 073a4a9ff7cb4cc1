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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;
import org.ioaio.FileStat;

/**
 * {@code stat} of every file of a cached tree (made by {@code mktree.py}: 1000 directories x 100
 * files, or 100 x 100 with {@code --quick}), with the list of files built beforehand, in one run:
 *
 * <ul>
 *   <li>aio: a group with {@code limit(1024)} whose feeder issues {@code aio.stat}, as
 *       {@code ioaio-bench.pl stat} does: the first engine configuration of {@link Backends#configs}
 *       with 2, 4 and 8 worker threads, every other one with 8;
 *   <li>the plain-Java peers over {@code Files.readAttributes} with the attribute set the NIO
 *       syscall layer reads: a sequential loop on one thread, a 2-thread {@code ThreadPoolExecutor}
 *       with 1024 in flight, virtual threads with 1024 in flight;
 *   <li>Vert.x 5 {@code FileSystem.props} with 1024 in flight from its event loop, 2 blocking
 *       threads, class-path resolving and file caching off ({@link VertxPeer});
 *   <li>IO::AIO 4.8 ({@code ioaio-bench.pl stat ROOT 8}), run once per pass.
 * </ul>
 *
 * Every pass runs every variant in turn over the same files, starting one variant later each pass
 * (so no variant always follows the same one); figures are medians over passes
 * ({@code --verbose} also prints each pass).
 *
 * <p>Usage: {@code StatBench [--quick] [--passes N] [--shared-bench DIR] [--verbose] [--threads 2,4,8]
 * [--backend auto|nio|native]}: with AUTO (the default) resolving to the native layer, the NIO layer is
 * measured too, at the largest thread count; {@code --threads} sets the first configuration's counts.
 */
public final class StatBench {

    /** What {@code NioSyscalls.stat} reads: the peers read the same, so the syscalls are the same. */
    static final String ATTRIBUTES = "unix:dev,ino,mode,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime";

    /** Requests in flight: aio's group limit and the executors' window, as in ioaio-bench.pl. */
    static final int WINDOW = 1024;

    /** Results seen by the aio callback; only the polling thread writes them. */
    private static long delivered;
    private static long failed;
    /** The next file the feeder stats; written by the polling (feeding) thread only. */
    private static int next;

    private static final AioCallback<FileStat> COUNT = r -> {
        if (r.ok() && r.value() != null) {
            delivered++;
        } else {
            failed++;
        }
    };

    private StatBench() {}

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
        int[] threads = {2, 4, 8};
        AioBackend backend = AioBackend.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--verbose" -> verbose = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
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
        int dirs = quick ? 100 : 1000;
        int perDir = 100;
        IoAioPeer ioaio = IoAioPeer.find(shared);
        List<Backends.Config> configs = Backends.configs(backend);
        // The first configuration at every thread count; each other one at the most threads.
        int otherThreads = Arrays.stream(threads).max().orElse(8);
        List<AioVariant> aioVariants = AioVariant.of(configs, threads, otherThreads, passes);
        Windowed.Pool vt = Windowed.virtualThreads();
        String vertxWhy = VertxPeer.unavailable();

        try (TempFiles tree = TempFiles.directory("aio-statbench-")) {
            Path root = tree.path();
            String made = makeTree(shared, root, dirs, perDir);
            syncFs(root);
            Path[] files = listFiles(root);
            if (files.length != dirs * perDir) {
                throw new IllegalStateException("expected " + dirs * perDir + " files under " + root + ", found " + files.length);
            }
            int n = files.length;
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = files[i].toString();
            }
            System.out.println("# stat of " + n + " cached files (" + made + "): us per stat, median of " + passes
                    + " passes (min-max); every variant runs in every pass, over the same list");
            System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; aio configurations " + AioVariant.names(configs) + (backend == AioBackend.AUTO ? " (AUTO)" : "")
                    + "; Java peers read Files.readAttributes(p, \"" + ATTRIBUTES + "\"), as aio's NIO layer does");
            if (ioaio.unavailable() != null) {
                System.out.println("# IO::AIO skipped: " + ioaio.unavailable());
            }
            if (vt == null) {
                System.out.println("# virtual threads skipped: Java " + Runtime.version().feature() + " has none (21+)");
            }
            if (vertxWhy != null) {
                System.out.println("# Vert.x skipped: " + vertxWhy);
            } else {
                System.out.println("# " + VertxPeer.version() + ": FileSystem.props (BasicFileAttributes, links followed), class-path resolving"
                        + " and file caching off, " + VERTX_THREADS + " internal blocking threads (which run FileSystem calls),"
                        + " window " + WINDOW + " from its event loop");
            }

            // Untimed: caches every inode and dentry, then the JIT compiles every path until it is
            // steady (Variant.WARM_UP_ROUNDS).
            sequential(files);
            for (int w = 0; w < Variant.WARM_UP_ROUNDS; w++) {
                for (AioVariant v : aioVariants) {
                    aioStat(files, v.threads(), v.config());
                }
                Windowed.run(Windowed.threadPool(2), n, WINDOW, i -> readAttributes(files[i]));
                if (vt != null) {
                    Windowed.run(vt, n, WINDOW, i -> readAttributes(files[i]));
                }
                if (vertxWhy == null) {
                    vertxStat(names);
                }
                sequential(files);
            }

            double[] seq = new double[passes];
            double[] tpe = new double[passes];
            double[] virt = new double[passes];
            double[] vx = new double[passes];
            double[] io = new double[passes];
            List<Variant> variants = new ArrayList<>();
            for (AioVariant v : aioVariants) {
                variants.add(p -> v.values()[p] = aioStat(files, v.threads(), v.config()));
            }
            variants.add(p -> seq[p] = sequential(files));
            variants.add(p -> tpe[p] = Windowed.run(Windowed.threadPool(2), n, WINDOW, i -> readAttributes(files[i])));
            if (vt != null) {
                variants.add(p -> virt[p] = Windowed.run(vt, n, WINDOW, i -> readAttributes(files[i])));
            }
            if (vertxWhy == null) {
                variants.add(p -> vx[p] = vertxStat(names));
            }
            boolean[] ioOk = {ioaio.unavailable() == null};
            variants.add(p -> {
                if (ioOk[0]) {
                    var r = ioaio.usPerOp("stat", root.toString(), "8");
                    if (r.isPresent()) {
                        io[p] = r.getAsDouble();
                    } else {
                        ioOk[0] = false;
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
                    b.append(" seq=").append(Stats.fmt(seq[p], 3)).append(" tpe2=").append(Stats.fmt(tpe[p], 3))
                            .append(" vt=").append(Stats.fmt(virt[p], 3)).append(" vertx=").append(Stats.fmt(vx[p], 3))
                            .append(" ioaio=").append(Stats.fmt(io[p], 3));
                    System.out.println(b);
                }
            }

            System.out.println("| implementation | threads | us/op | min | max |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (AioVariant v : aioVariants) {
                row("aio `stat` (" + v.config().name() + "), group limit " + WINDOW + " + feeder", Integer.toString(v.threads()), v.values());
            }
            row("`Files.readAttributes`, sequential loop", "1", seq);
            row("`Files.readAttributes`, ThreadPoolExecutor, window " + WINDOW, "2", tpe);
            if (vt != null) {
                row("`Files.readAttributes`, virtual threads, window " + WINDOW, "virtual", virt);
            } else {
                System.out.println("| `Files.readAttributes`, virtual threads | virtual | n/a: no virtual threads | | |");
            }
            if (vertxWhy == null) {
                row("Vert.x `FileSystem.props`, window " + WINDOW, Integer.toString(VERTX_THREADS), vx);
            } else {
                System.out.println("| Vert.x `FileSystem.props` | " + VERTX_THREADS + " | n/a: " + vertxWhy + " | | |");
            }
            if (ioOk[0]) {
                row("IO::AIO 4.8 `aio_stat`, group limit " + WINDOW + " + feeder", "8", io);
            } else {
                System.out.println("| IO::AIO 4.8 | 8 | n/a: " + (ioaio.unavailable() != null ? ioaio.unavailable() : "run failed") + " | | |");
            }

            double seqM = Stats.median(seq);
            double tpeM = Stats.median(tpe);
            double vtM = vt != null ? Stats.median(virt) : Double.POSITIVE_INFINITY;
            double best = seqM;
            String bestName = "sequential";
            if (tpeM < best) {
                best = tpeM;
                bestName = "ThreadPoolExecutor 2";
            }
            if (vtM < best) {
                best = vtM;
                bestName = "virtual threads";
            }
            double vxM = vertxWhy == null ? Stats.median(vx) : Double.NaN;
            double ioM = ioOk[0] ? Stats.median(io) : Double.NaN;
            double bestMin = Math.min(Stats.min(seq), Math.min(Stats.min(tpe), vt != null ? Stats.min(virt) : Double.POSITIVE_INFINITY));
            double ioMin = ioOk[0] ? Stats.min(io) : Double.NaN;
            System.out.println();
            System.out.println("# ratios of the medians above (goal: aio faster than the best Java peer, and IO::AIO / aio >= 1.5);"
                    + " the last two columns take each variant's best pass instead");
            System.out.println("| aio backend, threads | aio us/op | best Java peer | aio / best peer | faster? | aio / Vert.x | IO::AIO / aio "
                    + "| >= 1.5x? | aio / best peer, best passes | IO::AIO / aio, best passes |");
            System.out.println("|---:|---:|---|---:|---|---:|---:|---|---:|---:|");
            for (AioVariant v : aioVariants) {
                double a = Stats.median(v.values());
                double aMin = Stats.min(v.values());
                System.out.println("| " + v.label() + " | " + Stats.fmt(a, 3) + " | " + bestName + " " + Stats.fmt(best, 3)
                        + " | " + Stats.fmt(a / best, 2) + " | " + (a < best ? "yes" : "no")
                        + " | " + (Double.isNaN(vxM) ? "n/a" : Stats.fmt(a / vxM, 2))
                        + " | " + (ioOk[0] ? Stats.fmt(ioM / a, 2) + "x" : "n/a")
                        + " | " + (ioOk[0] ? (ioM / a >= 1.5 ? "yes" : "no") : "n/a")
                        + " | " + Stats.fmt(aMin / bestMin, 2)
                        + " | " + (ioOk[0] ? Stats.fmt(ioMin / aMin, 2) + "x" : "n/a") + " |");
            }
        }
    }

    /** Vert.x's worker and internal blocking pools: the size of the Java peer's pool (ThreadPoolExecutor 2). */
    static final int VERTX_THREADS = 2;

    /** Vert.x FileSystem.props of every file, window 1024, on a fresh Vert.x; us per stat. */
    static double vertxStat(String[] names) throws Exception {
        try (VertxPeer vx = VertxPeer.start(VERTX_THREADS)) {
            return vx.stat(names, WINDOW);
        }
    }

    private static void row(String what, String threads, double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        System.out.println("| " + what + " | " + threads + " | " + Stats.fmt(Stats.median(v), 3) + " | "
                + Stats.fmt(s[0], 3) + " | " + Stats.fmt(s[s.length - 1], 3) + " |");
    }

    /**
     * Makes the tree with {@code mktree.py}, or with the same layout in Java when python3 or the
     * script is missing.
     *
     * @return how it was made, for the header
     */
    static String makeTree(Path shared, Path root, int dirs, int perDir) throws IOException, InterruptedException {
        Path script = shared.resolve("mktree.py");
        String why;
        if (Files.isRegularFile(script)) {
            try {
                Process p = new ProcessBuilder("python3", script.toString(), root.toString(),
                        Integer.toString(dirs), Integer.toString(perDir)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() == 0) {
                    return "mktree.py " + dirs + " " + perDir;
                }
                why = "mktree.py failed: " + out;
            } catch (IOException e) {
                why = "cannot run python3: " + e.getMessage();
            }
        } else {
            why = "no " + script;
        }
        System.out.println("# " + why + "; the same tree is made in Java");
        TempFiles.delete(root);
        for (int i = 0; i < dirs; i++) {
            Path d = root.resolve("d" + i / 100).resolve("e" + i);
            Files.createDirectories(d);
            for (int j = 0; j < perDir; j++) {
                byte[] data = new byte[j % 7 + 1];
                Arrays.fill(data, (byte) 'x');
                Files.write(d.resolve("f" + j + ".dat"), data);
            }
        }
        return "mktree.py layout " + dirs + " x " + perDir + ", written in Java";
    }

    /**
     * Writes the new tree back now ({@code sync -f}, syncfs(2)), so that writeback of 100k new
     * inodes does not run during the first passes; skipped (with a note) when it cannot run.
     */
    static void syncFs(Path root) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("sync", "-f", root.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                System.out.println("# sync -f failed (writeback may run during the first pass): " + out);
            }
        } catch (IOException e) {
            System.out.println("# cannot run sync (writeback may run during the first pass): " + e.getMessage());
        }
    }

    /** Every regular file under {@code root}, in walk order. */
    static Path[] listFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(out::add);
        }
        return out.toArray(new Path[0]);
    }

    /** Files.readAttributes with the attribute set of aio's NIO layer; false when it failed. */
    static boolean readAttributes(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES);
            return a.get("ino") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** One thread, one call after the other; us per stat. */
    static double sequential(Path[] files) throws IOException {
        long sizes = 0;
        long t0 = System.nanoTime();
        for (Path p : files) {
            sizes += ((Number) Files.readAttributes(p, ATTRIBUTES).get("size")).longValue();
        }
        long t1 = System.nanoTime();
        if (sizes <= 0) {
            throw new IllegalStateException("no bytes in " + files.length + " files");
        }
        return (t1 - t0) / 1e3 / files.length;
    }

    /** aio: one group, limit 1024, a feeder issuing aio.stat; flushed; us per stat. */
    static double aioStat(Path[] files, int threads, Backends.Config config) {
        try (AioEngine aio = config.engine(threads)) {
            int n = files.length;
            delivered = 0;
            failed = 0;
            next = 0;
            long t0 = System.nanoTime();
            aio.group(g -> {
                g.limit(WINDOW);
                g.feed(grp -> {
                    int i = next;
                    if (i < n) {
                        next = i + 1;
                        grp.add(aio.stat(files[i], COUNT));
                    }
                });
            }, null);
            aio.flush();
            long t1 = System.nanoTime();
            if (delivered != n || failed != 0) {
                throw new IllegalStateException("aio stat: " + delivered + " of " + n + " ok, " + failed + " failed");
            }
            return (t1 - t0) / 1e3 / n;
        }
    }
}
