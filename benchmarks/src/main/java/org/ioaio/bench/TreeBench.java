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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;
import org.ioaio.DirScan;
import org.ioaio.FileStat;

/**
 * Whole-tree workloads on a cached tree made by {@code mktree.py} (1000 directories x 100 files, or
 * 100 x 100 with {@code --quick}), every implementation in the same run:
 *
 * <ul>
 *   <li><b>du</b> (sum of the sizes of every entry): aio, recursive {@code scandir} plus an {@code
 *       lstat} of each non-directory (what {@code ioaio-bench.pl du} does), for every engine
 *       configuration of {@link Backends#configs}; IO::AIO 4.8 through {@code ioaio-bench.pl du};
 *       {@code du -s}; the plain-Java peers, a {@code ForkJoinPool(8)} with one task per directory
 *       summing {@code lstat} sizes and the same walk on virtual threads (one per directory); and
 *       Vert.x 5 {@code FileSystem.readDir} + {@code lprops} with 8 blocking threads; and the
 *       kernel's floor, {@code src/main/c/du-floor.c} built with the machine's {@code cc}: one
 *       thread per core, each listing directories and stat-ing their entries by path (as aio's du
 *       here) and by name on the directory's descriptor (as {@code du -s}), no engine and no JVM.
 *   <li><b>copy</b> of the tree: aio {@code copyTree} (first engine configuration only: a copy is
 *       long and disk-bound); {@code cp -a}. IO::AIO has no tree copy.
 *   <li><b>rmtree</b> of a copy: aio {@code rmtree} (first configuration); IO::AIO 4.8 {@code
 *       aio_rmtree} (a perl one-liner timing itself, 8 threads); {@code rm -rf}.
 * </ul>
 *
 * Wall-clock seconds per whole tree; commands are timed from start to exit (their process start
 * included, a millisecond or two). Each pass runs the du variants (rotating which goes first), then
 * the two copies of the master tree, then a third copy made by aio's {@code copyTree} untimed, then the
 * three removals of those copies (rotating); a {@code sync -f} runs, untimed, after the copies and
 * after the removals, so writeback of one variant's work does not land in another's time. Figures
 * are medians over passes, with min and max.
 *
 * <p>Usage: {@code TreeBench [--quick] [--passes N] [--shared-bench DIR] [--threads N] [--backend
 * auto|nio|native] [--dir DIR] [--only du|copy] [--verbose]}: {@code --dir} puts the trees in
 * another directory (the default is java.io.tmpdir; {@code /dev/shm} takes the disk out of the
 * copy and rmtree figures, which on a disk shared with other work vary tenfold from pass to pass);
 * {@code --only du} runs the du workload alone, {@code --only copy} the copies and removals.
 */
public final class TreeBench {

    /** IO::AIO's aio_rmtree of ARGV[0] with ARGV[1] threads, printing its own wall time. */
    private static final String IOAIO_RMTREE = "use IO::AIO; use Time::HiRes qw(time);"
            + " IO::AIO::min_parallel $ARGV[1]; IO::AIO::max_parallel $ARGV[1];"
            + " my $t0 = time; my $st; aio_rmtree $ARGV[0], sub { $st = $_[0] }; IO::AIO::flush;"
            + " printf \"seconds=%.4f status=%d\\n\", time - $t0, $st;";

    private TreeBench() {}

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
        int threads = 8;
        Path shared = Path.of("..", "shared", "bench");
        AioBackend backend = AioBackend.AUTO;
        Path base = null;
        boolean duToo = true;
        boolean copyToo = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--verbose" -> verbose = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                case "--backend" -> backend = AioBackend.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                case "--dir" -> base = Path.of(args[++i]);
                case "--only" -> {
                    String only = args[++i];
                    duToo = only.equals("du");
                    copyToo = only.equals("copy");
                    if (!duToo && !copyToo) {
                        throw new IllegalArgumentException("--only du or --only copy, got " + only);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be 1 or more");
        }
        int dirs = quick ? 100 : 1000;
        int perDir = 100;
        int nt = threads;
        IoAioPeer ioaio = IoAioPeer.find(shared);
        List<Backends.Config> configs = Backends.configs(backend);
        Backends.Config first = configs.get(0);
        Windowed.Pool vt = Windowed.virtualThreads();
        String vertxWhy = VertxPeer.unavailable();

        try (Scratch work = new Scratch(base); CProgram floor = CProgram.build("du-floor")) {
            Path master = work.path().resolve("master");
            makeTree(shared, master, dirs, perDir);
            sync(work.path());
            long files = (long) dirs * perDir;
            long expectedBytes = expectedBytes(dirs, perDir);
            System.out.println("# trees of " + files + " files in " + (dirs + dirs / 100 + 1) + " directories (mktree.py "
                    + dirs + " " + perDir + ", cached): wall seconds per whole tree, median of " + passes
                    + " passes (min-max)");
            System.out.println("# trees under " + work.path() + " (" + Files.getFileStore(work.path()).type() + ")");
            System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores; aio configurations " + AioVariant.names(configs) + " (du: each; copy and rmtree: " + first.name()
                    + "), " + nt + " threads; IO::AIO 8 threads"
                    + (ioaio.unavailable() != null ? " (skipped: " + ioaio.unavailable() + ")" : ""));
            if (vt == null) {
                System.out.println("# virtual threads skipped: Java " + Runtime.version().feature() + " has none (21+)");
            }
            int cores = Runtime.getRuntime().availableProcessors();
            if (floor.unavailable() != null) {
                System.out.println("# the kernel's floor under du skipped: " + floor.unavailable());
            } else {
                System.out.println("# the kernel's floor under du (benchmarks/src/main/c/du-floor.c, no engine, no JVM): " + cores
                        + " threads (one per core) sharing a queue of directories, each listing one and lstat-ing its entries, by"
                        + " the whole path as aio's du here does, or by name on the listed directory's descriptor as du(1) does");
            }
            if (vertxWhy != null) {
                System.out.println("# Vert.x skipped: " + vertxWhy);
            } else {
                System.out.println("# " + VertxPeer.version() + " du: FileSystem.readDir (which also canonicalizes each entry's path)"
                        + " + lprops of each entry, from its event loop; class-path resolving and file caching off; " + nt
                        + " internal blocking threads");
            }

            Map<String, double[]> du = new LinkedHashMap<>();
            Map<String, double[]> copy = new LinkedHashMap<>();
            Map<String, double[]> rm = new LinkedHashMap<>();
            Map<Backends.Config, String> aioDus = new LinkedHashMap<>();
            for (Backends.Config c : configs) {
                aioDus.put(c, "aio scandir + lstat (" + c.name() + ", " + nt + " threads)");
            }
            String aioDu = aioDus.get(first);
            String fjDu = "ForkJoinPool(8), one task per directory, lstat each entry";
            String vtDu = "virtual threads, one per directory, lstat each entry";
            String vxDu = "Vert.x readDir + lprops (" + nt + " threads)";
            String ioDu = "IO::AIO 4.8 aio_scandir + aio_lstat (ioaio-bench.pl du)";
            String duS = "du -s";
            String floorPath = "C floor, " + cores + " threads, lstat by path";
            String floorAt = "C floor, " + cores + " threads, lstat by name on the directory's descriptor";
            String aioCp = "aio copyTree (" + first.name() + ", " + nt + " threads)";
            String cpA = "cp -a";
            String aioRm = "aio rmtree (" + first.name() + ", " + nt + " threads)";
            String ioRm = "IO::AIO 4.8 aio_rmtree";
            String rmRf = "rm -rf";
            List<String> duRows = new ArrayList<>(aioDus.values());
            duRows.addAll(List.of(fjDu, vtDu, vxDu, ioDu, duS, floorPath, floorAt));
            for (String k : duRows) {
                du.put(k, filled(passes));
            }
            for (String k : List.of(aioCp, cpA)) {
                copy.put(k, filled(passes));
            }
            for (String k : List.of(aioRm, ioRm, rmRf)) {
                rm.put(k, filled(passes));
            }

            // Untimed: caches the tree, then the JIT compiles the Java paths until they are steady
            // (Variant.WARM_UP_ROUNDS).
            for (int w = 0; w < Variant.WARM_UP_ROUNDS; w++) {
                for (Backends.Config c : configs) {
                    try (AioEngine aio = c.engine(nt)) {
                        check("aio du", aioDu(aio, master), expectedBytes);
                    }
                }
                check("ForkJoin du", forkJoinDu(master), expectedBytes);
                if (vt != null) {
                    check("virtual-thread du", virtualDu(vt, master), expectedBytes);
                }
                if (vertxWhy == null) {
                    check("Vert.x du", vertxDu(master, nt), expectedBytes);
                }
            }

            boolean ioOk = ioaio.unavailable() == null;
            for (int p = 0; p < passes; p++) {
                int pass = p;
                List<Variant> duVariants = new ArrayList<>();
                aioDus.forEach((c, name) -> duVariants.add(q -> du.get(name)[q] = timed(() -> {
                    try (AioEngine aio = c.engine(nt)) {
                        check("aio du", aioDu(aio, master), expectedBytes);
                    }
                })));
                duVariants.add(q -> du.get(fjDu)[q] = timed(() -> check("ForkJoin du", forkJoinDu(master), expectedBytes)));
                if (vt != null) {
                    duVariants.add(q -> du.get(vtDu)[q] = timed(() -> check("virtual-thread du", virtualDu(vt, master), expectedBytes)));
                }
                if (vertxWhy == null) {
                    // the Vert.x instance is made outside the time, as VertxPeer explains
                    duVariants.add(q -> du.get(vxDu)[q] = vertxDuSeconds(master, nt, expectedBytes));
                }
                duVariants.add(q -> du.get(duS)[q] = timed(() -> command("du", "-s", master.toString())));
                if (floor.unavailable() == null) {
                    for (String mode : List.of("path", "relative")) {
                        String row = mode.equals("path") ? floorPath : floorAt;
                        duVariants.add(q -> du.get(row)[q] = timed(() -> checkFloor(floor.run(master.toString(),
                                Integer.toString(cores), mode), expectedBytes)));
                    }
                }
                if (ioOk) {
                    duVariants.add(q -> {
                        var r = ioaio.usPerOp("du", master.toString(), "8");
                        du.get(ioDu)[q] = r.isPresent() ? r.getAsDouble() * files / 1e6 : Double.NaN;
                    });
                }
                if (duToo) {
                    Variant.runPass(duVariants, pass);
                }
                if (!copyToo) {
                    continue;
                }

                Path a = work.path().resolve("copy-aio");
                Path b = work.path().resolve("copy-cp");
                Path c = work.path().resolve("copy-io");
                List<Variant> copies = new ArrayList<>();
                copies.add(q -> copy.get(aioCp)[q] = timed(() -> {
                    try (AioEngine aio = first.engine(nt)) {
                        finish(aio, aio.copyTree(master, a));
                    }
                }));
                copies.add(q -> copy.get(cpA)[q] = timed(() -> command("cp", "-a", master.toString(), b.toString())));
                for (int i = 0; i < copies.size(); i++) {
                    copies.get((pass + i) % copies.size()).run(pass);
                    sync(work.path());
                }
                // IO::AIO's copy to remove, untimed: made by aio (cp -a takes several times as long here)
                try (AioEngine aio = first.engine(nt)) {
                    finish(aio, aio.copyTree(master, c));
                }
                sync(work.path());
                if (pass == 0) {
                    try (AioEngine aio = first.engine(nt)) {
                        check("du of aio's copy", aioDu(aio, a), expectedBytes);
                    }
                }

                List<Variant> removals = new ArrayList<>();
                removals.add(q -> rm.get(aioRm)[q] = timed(() -> {
                    try (AioEngine aio = first.engine(nt)) {
                        finish(aio, aio.rmtree(a));
                    }
                }));
                removals.add(q -> rm.get(rmRf)[q] = timed(() -> command("rm", "-rf", b.toString())));
                removals.add(q -> rm.get(ioRm)[q] = ioOk ? ioaioRmtree(c) : Double.NaN);
                for (int i = 0; i < removals.size(); i++) {
                    removals.get((pass + i) % removals.size()).run(pass);
                    sync(work.path());
                }
                command("rm", "-rf", a.toString(), b.toString(), c.toString()); // whatever a failed variant left
                if (verbose) {
                    StringBuilder s = new StringBuilder("# pass " + (pass + 1) + ":");
                    for (var m : List.of(du, copy, rm)) {
                        m.forEach((k, v) -> s.append(" [").append(k).append("]=").append(Stats.fmt(v[pass], 3)));
                    }
                    System.out.println(s);
                }
            }

            if (duToo) {
                table("du of the tree", du, aioDu, List.of(fjDu, vtDu, vxDu, duS, ioDu, floorPath, floorAt));
            }
            if (copyToo) {
                table("copy of the tree", copy, aioCp, List.of(cpA));
                table("rmtree of a copy", rm, aioRm, List.of(rmRf, ioRm));
            }
        }
    }

    /** The benchmark's trees: under java.io.tmpdir ({@link TempFiles}), or under the {@code --dir} given. */
    private static final class Scratch implements AutoCloseable {
        private final TempFiles temp;
        private final Path path;

        Scratch(Path base) throws IOException {
            temp = base == null ? TempFiles.directory("aio-treebench-") : null;
            path = base == null ? temp.path() : Files.createTempDirectory(base, "aio-treebench-");
        }

        Path path() {
            return path;
        }

        @Override
        public void close() throws IOException {
            if (temp != null) {
                temp.close();
                return;
            }
            try {
                command("rm", "-rf", path.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while removing " + path, e);
            }
        }
    }

    private static double[] filled(int n) {
        double[] d = new double[n];
        Arrays.fill(d, Double.NaN);
        return d;
    }

    private static void table(String title, Map<String, double[]> rows, String aio, List<String> peers) {
        System.out.println();
        System.out.println("## " + title);
        System.out.println("| implementation | seconds | min | max | peer / aio |");
        System.out.println("|---|---:|---:|---:|---:|");
        double a = Stats.median(rows.get(aio));
        rows.forEach((k, v) -> {
            if (Double.isNaN(v[0])) {
                System.out.println("| " + k + " | n/a | | | |");
                return;
            }
            double[] s = v.clone();
            Arrays.sort(s);
            double m = Stats.median(v);
            System.out.println("| " + k + " | " + Stats.fmt(m, 3) + " | " + Stats.fmt(s[0], 3) + " | "
                    + Stats.fmt(s[s.length - 1], 3) + " | " + (k.equals(aio) ? "1.00" : Stats.fmt(m / a, 2)) + " |");
        });
        for (String p : peers) {
            double[] v = rows.get(p);
            if (!Double.isNaN(v[0])) {
                double m = Stats.median(v);
                System.out.println("# aio vs " + p + ": " + (a < m ? "faster, " + Stats.fmt(m / a, 2) + "x" : "slower, "
                        + Stats.fmt(a / m, 2) + "x the time"));
            }
        }
    }

    /** A timed body. */
    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static double timed(Body b) throws Exception {
        long t0 = System.nanoTime();
        b.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Polls until the request is done (nothing completes unless someone polls), then rethrows its failure. */
    private static void finish(AioEngine aio, java.util.concurrent.CompletableFuture<?> f) {
        aio.flush();
        f.join();
    }

    /** du-floor's output (the bytes it summed), checked as the other variants' sums are. */
    private static void checkFloor(String out, long expected) {
        if (out == null) {
            throw new IllegalStateException("du-floor failed (its error output is above)");
        }
        check("du-floor", Long.parseLong(out.trim()), expected);
    }

    private static void check(String what, long bytes, long expected) {
        if (bytes != expected) {
            throw new IllegalStateException(what + " summed " + bytes + " bytes, expected " + expected);
        }
    }

    /** The bytes mktree.py writes: file j of each directory holds j % 7 + 1 bytes. */
    private static long expectedBytes(int dirs, int perDir) {
        long perDirBytes = 0;
        for (int j = 0; j < perDir; j++) {
            perDirBytes += j % 7 + 1;
        }
        return perDirBytes * dirs;
    }

    // ------------------------------------------------------------------ du implementations

    /**
     * aio: scandir each directory, lstat each non-directory, from callbacks; the sum of file sizes.
     * One lstat callback serves every file (callbacks never run concurrently), as one closure would
     * in C; IO::AIO's script makes a Perl closure per file, which is what Perl offers.
     */
    static long aioDu(AioEngine aio, Path root) {
        AtomicLong bytes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AioCallback<FileStat> sized = st -> {
            if (st.ok()) {
                bytes.addAndGet(st.value().size());
            } else {
                errors.incrementAndGet();
            }
        };
        walk(aio, root, sized, errors);
        aio.flush();
        if (errors.get() != 0) {
            throw new IllegalStateException(errors.get() + " requests failed under " + root);
        }
        return bytes.get();
    }

    private static void walk(AioEngine aio, Path dir, AioCallback<FileStat> sized, AtomicLong errors) {
        aio.scandir(dir, 0, r -> {
            if (!r.ok()) {
                errors.incrementAndGet();
                return;
            }
            DirScan s = r.value();
            for (Path f : s.nondirs()) {
                aio.lstat(dir.resolve(f), sized);
            }
            for (Path d : s.dirs()) {
                walk(aio, dir.resolve(d), sized, errors);
            }
        });
    }

    /** The plain-Java peer: a ForkJoinPool(8), one task per directory, lstat of each entry; the sum of non-directory sizes. */
    static long forkJoinDu(Path root) {
        ForkJoinPool pool = new ForkJoinPool(8);
        try {
            return pool.invoke(new DirTask(root));
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Virtual threads: one per directory, each listing its directory and lstat-ing every entry,
     * starting one more virtual thread per subdirectory; the sum of non-directory sizes.
     */
    static long virtualDu(Windowed.Pool vt, Path root) throws InterruptedException {
        LongAdder bytes = new LongAdder();
        AtomicInteger pending = new AtomicInteger(1);
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService ex = vt.create();
        try {
            ex.execute(new VirtualDir(ex, root, bytes, pending, errors, done));
            done.await();
        } finally {
            ex.shutdown();
        }
        if (errors.get() != 0) {
            throw new IllegalStateException(errors.get() + " directories failed under " + root);
        }
        return bytes.sum();
    }

    /** One directory of {@link #virtualDu}. */
    private record VirtualDir(ExecutorService ex, Path dir, LongAdder bytes, AtomicInteger pending, AtomicLong errors,
            CountDownLatch done) implements Runnable {
        @Override
        public void run() {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path e : ds) {
                    BasicFileAttributes a = Files.readAttributes(e, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isDirectory()) {
                        pending.incrementAndGet();
                        ex.execute(new VirtualDir(ex, e, bytes, pending, errors, done));
                    } else {
                        bytes.add(a.size());
                    }
                }
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
            } finally {
                if (pending.decrementAndGet() == 0) {
                    done.countDown();
                }
            }
        }
    }

    /** Vert.x du on a fresh Vert.x with {@code threads} blocking threads (made before the time starts); the sum of sizes. */
    static long vertxDu(Path root, int threads) throws Exception {
        try (VertxPeer vx = VertxPeer.start(threads)) {
            return vx.du(root);
        }
    }

    /** Vert.x du timed without the making and closing of the Vert.x instance; seconds. */
    private static double vertxDuSeconds(Path root, int threads, long expected) throws Exception {
        try (VertxPeer vx = VertxPeer.start(threads)) {
            long t0 = System.nanoTime();
            long bytes = vx.du(root);
            double s = (System.nanoTime() - t0) / 1e9;
            check("Vert.x du", bytes, expected);
            return s;
        }
    }

    private static final class DirTask extends RecursiveTask<Long> {
        private static final long serialVersionUID = 1L;
        private final transient Path dir;

        DirTask(Path dir) {
            this.dir = dir;
        }

        @Override
        protected Long compute() {
            long sum = 0;
            List<DirTask> subs = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path e : ds) {
                    BasicFileAttributes a = Files.readAttributes(e, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isDirectory()) {
                        DirTask t = new DirTask(e);
                        t.fork();
                        subs.add(t);
                    } else {
                        sum += a.size();
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (DirTask t : subs) {
                sum += t.join();
            }
            return sum;
        }
    }

    // ------------------------------------------------------------------ commands

    private static void command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static double ioaioRmtree(Path tree) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("perl", "-e", IOAIO_RMTREE, tree.toString(), "8").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.startsWith("seconds=") || !out.endsWith("status=0")) {
            System.err.println("IO::AIO rmtree failed: " + out);
            return Double.NaN;
        }
        return Double.parseDouble(out.substring("seconds=".length(), out.indexOf(' ')));
    }

    private static void sync(Path dir) throws IOException, InterruptedException {
        command("sync", "-f", dir.toString());
    }

    /** mktree.py (by path) makes the tree; without python3 or the script, the same layout in Java. */
    private static void makeTree(Path shared, Path root, int dirs, int perDir) throws IOException, InterruptedException {
        Path script = shared.resolve("mktree.py");
        if (Files.isRegularFile(script)) {
            try {
                command("python3", script.toString(), root.toString(), Integer.toString(dirs), Integer.toString(perDir));
                return;
            } catch (IOException | IllegalStateException e) {
                System.out.println("# mktree.py failed (" + e.getMessage() + "): the same tree is made in Java");
            }
        } else {
            System.out.println("# no " + script + ": the same tree is made in Java");
        }
        for (int i = 0; i < dirs; i++) {
            Path d = root.resolve("d" + i / 100).resolve("e" + i);
            Files.createDirectories(d);
            for (int j = 0; j < perDir; j++) {
                byte[] data = new byte[j % 7 + 1];
                Arrays.fill(data, (byte) 'x');
                Files.write(d.resolve("f" + j + ".dat"), data);
            }
        }
    }
}
