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
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;

/**
 * Copies measured so that the figures mean something: every variant copies the same source tree
 * into a fresh destination, and before each timed copy the previous copy is removed, {@code sync}
 * runs and, on a disk file system as root, the page cache is dropped ({@code echo 3 >
 * /proc/sys/vm/drop_caches}), all outside the timed region; the time ends when the copier returns
 * (its writeback is not waited for, as for {@code cp}). Two places:
 *
 * <ul>
 *   <li><b>tmpfs</b> ({@code /dev/shm}): no disk, nothing to drop; the figures are CPU and
 *       syscalls only;
 *   <li><b>disk</b> (java.io.tmpdir, ext4 here): the source is read back from the disk after the
 *       cache drop.
 * </ul>
 *
 * Two trees in each: {@code mktree.py}'s small files (1000 x 100 files of 1-7 bytes, 100 x 100 with
 * {@code --quick}) and a few large files (8 x 32 MiB of random bytes, 8 x 8 MiB with {@code
 * --quick}). Variants, rotating which goes first: aio {@code copyTree} (8 workers), {@code cp -a},
 * and a {@code ForkJoinPool(8)} copier (one task per directory, {@code Files.copy} with {@code
 * COPY_ATTRIBUTES} and {@code NOFOLLOW_LINKS} per file, directory times set after its entries).
 * Wall seconds, median of the passes (default 5) with min and max, after {@value #WARMUP} untimed
 * copies by each Java copier (one by {@code cp -a}, which checks its result as for the others).
 *
 * <p>Usage: {@code CopyBench [--quick] [--passes N] [--shared-bench DIR] [--threads N] [--backend
 * auto|nio|native] [--tmpfs DIR] [--disk DIR] [--only tmpfs|disk]}: {@code --only} measures one place.
 */
public final class CopyBench {

    /** Untimed copies each Java copier makes first. */
    private static final int WARMUP = 5;

    private CopyBench() {}

    /**
     * Runs the benchmark and prints the tables.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int passes = 5;
        int threads = 8;
        Path shared = Path.of("..", "shared", "bench");
        AioBackend backend = AioBackend.AUTO;
        Path tmpfs = Path.of("/dev/shm");
        Path disk = Path.of(System.getProperty("java.io.tmpdir"));
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                case "--backend" -> backend = AioBackend.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                case "--tmpfs" -> tmpfs = Path.of(args[++i]);
                case "--disk" -> disk = Path.of(args[++i]);
                case "--only" -> {
                    only = args[++i];
                    if (!only.equals("tmpfs") && !only.equals("disk")) {
                        throw new IllegalArgumentException("--only tmpfs or --only disk, got " + only);
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be 1 or more");
        }
        int dirs = quick ? 100 : 1000;
        int bigFiles = 8;
        long bigSize = (quick ? 8L : 32L) << 20;
        Backends.Config config = Backends.configs(backend).get(0);
        boolean root = "root".equals(System.getProperty("user.name"));
        System.out.println("# copies of a tree: wall seconds per whole copy, median of " + passes + " passes (min-max);"
                + " before each timed copy the last one is removed and sync runs"
                + (root ? ", and on a disk the page cache is dropped" : " (not root: no cache drop)"));
        System.out.println("# JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores; aio "
                + config.name() + ", " + threads + " threads; ForkJoinPool(" + threads + ")");
        List<String> goals = new ArrayList<>();
        List<Path> places = only == null ? List.of(tmpfs, disk) : List.of(only.equals("tmpfs") ? tmpfs : disk);
        for (Path place : places) {
            if (!Files.isDirectory(place)) {
                System.out.println("# " + place + " skipped: not a directory");
                continue;
            }
            FileStore store = Files.getFileStore(place);
            boolean drop = root && !store.type().equals("tmpfs");
            Path work = Files.createTempDirectory(place, "aio-copybench-");
            try {
                Path small = work.resolve("small");
                makeTree(shared, small, dirs, 100);
                Path big = work.resolve("big");
                makeBig(big, bigFiles, bigSize);
                String where = place + " (" + store.type() + (drop ? ", cache dropped" : "") + ")";
                goals.add(run("copy of " + (dirs * 100) + " small files, " + where, small, work, config, threads, passes, drop));
                goals.add(run("copy of " + bigFiles + " files of " + (bigSize >> 20) + " MiB, " + where, big, work, config,
                        threads, passes, drop));
            } finally {
                command("rm", "-rf", work.toString());
            }
        }
        System.out.println();
        goals.forEach(System.out::println);
    }

    /** Measures the three copiers on {@code src}, prints the table; returns the aio / cp -a line. */
    private static String run(String title, Path src, Path work, Backends.Config config, int threads, int passes,
            boolean drop) throws Exception {
        long expected = bytes(src);
        Path dst = work.resolve("copy");
        String aio = "aio copyTree (" + config.name() + ", " + threads + " threads)";
        String cp = "cp -a";
        String fj = "ForkJoinPool(" + threads + ") Files.copy";
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (String k : List.of(aio, cp, fj)) {
            double[] d = new double[passes];
            Arrays.fill(d, Double.NaN);
            rows.put(k, d);
        }
        // warm-up, untimed: checks each copier's result once, and runs the Java copiers WARMUP times (on 2 busy
        // cores the JIT needs several copies of 10k files before aio's per-file path is compiled)
        for (int v = 0; v < 3; v++) {
            for (int w = 0; w < (v == 1 ? 1 : WARMUP); w++) {
                copier(v, src, dst, config, threads).run();
                if (w == 0 && bytes(dst) != expected) {
                    throw new IllegalStateException("copier " + v + " copied " + bytes(dst) + " bytes, expected " + expected);
                }
                command("rm", "-rf", dst.toString());
            }
        }
        List<String> names = List.of(aio, cp, fj);
        for (int p = 0; p < passes; p++) {
            for (int i = 0; i < 3; i++) {
                int v = (p + i) % 3;
                command("rm", "-rf", dst.toString());
                command("sync");
                if (drop) {
                    Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
                }
                Body b = copier(v, src, dst, config, threads);
                long t0 = System.nanoTime();
                b.run();
                rows.get(names.get(v))[p] = (System.nanoTime() - t0) / 1e9;
            }
        }
        command("rm", "-rf", dst.toString());
        command("sync");
        System.out.println();
        System.out.println("## " + title);
        System.out.println("| implementation | seconds | min | max | time / aio's |");
        System.out.println("|---|---:|---:|---:|---:|");
        double a = Stats.median(rows.get(aio));
        rows.forEach((k, v) -> {
            double[] s = v.clone();
            Arrays.sort(s);
            double m = Stats.median(v);
            System.out.println("| " + k + " | " + Stats.fmt(m, 3) + " | " + Stats.fmt(s[0], 3) + " | "
                    + Stats.fmt(s[s.length - 1], 3) + " | " + (k.equals(aio) ? "1.00" : Stats.fmt(m / a, 2)) + " |");
        });
        double c = Stats.median(rows.get(cp));
        double f = Stats.median(rows.get(fj));
        return "# " + title + ": aio = " + Stats.fmt(a / c, 2) + "x the time of cp -a, " + Stats.fmt(a / f, 2)
                + "x the ForkJoinPool copier's";
    }

    /** A timed body. */
    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /** Copier {@code v} (0 aio, 1 cp -a, 2 ForkJoinPool) of {@code src} to {@code dst}, ready to run. */
    private static Body copier(int v, Path src, Path dst, Backends.Config config, int threads) {
        return switch (v) {
            case 0 -> () -> {
                try (AioEngine aio = config.engine(threads)) {
                    var f = aio.copyTree(src, dst);
                    aio.flush();
                    f.join();
                }
            };
            case 1 -> () -> command("cp", "-a", src.toString(), dst.toString());
            default -> () -> {
                ForkJoinPool pool = new ForkJoinPool(threads);
                try {
                    pool.invoke(new CopyDir(src, dst));
                } finally {
                    pool.shutdown();
                }
            };
        };
    }

    /** The plain-Java peer: one task per directory; files by {@code Files.copy}, links as links, directory times last. */
    private static final class CopyDir extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient Path src;
        private final transient Path dst;

        CopyDir(Path src, Path dst) {
            this.src = src;
            this.dst = dst;
        }

        @Override
        protected void compute() {
            try {
                PosixFileAttributes a = Files.readAttributes(src, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Files.createDirectory(dst);
                List<CopyDir> subs = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(src)) {
                    for (Path e : ds) {
                        Path to = dst.resolve(e.getFileName());
                        BasicFileAttributes ea = Files.readAttributes(e, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        if (ea.isDirectory()) {
                            CopyDir t = new CopyDir(e, to);
                            t.fork();
                            subs.add(t);
                        } else {
                            Files.copy(e, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                        }
                    }
                }
                for (CopyDir t : subs) {
                    t.join();
                }
                PosixFileAttributeView view = Files.getFileAttributeView(dst, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setPermissions(a.permissions());
                view.setOwner(a.owner());
                Files.getFileAttributeView(dst, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(a.lastModifiedTime(), a.lastAccessTime(), null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The bytes of the regular files under {@code root}. */
    private static long bytes(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** {@code n} files of {@code size} random bytes in a new directory {@code dir}. */
    private static void makeBig(Path dir, int n, long size) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(42);
        byte[] buf = new byte[1 << 20];
        for (int i = 0; i < n; i++) {
            try (var out = Files.newOutputStream(dir.resolve("big" + i + ".bin"))) {
                for (long left = size; left > 0; left -= buf.length) {
                    for (int k = 0; k < buf.length; k += 8) {
                        long x = r.nextLong();
                        for (int j = 0; j < 8; j++) {
                            buf[k + j] = (byte) (x >>> (8 * j));
                        }
                    }
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
            }
        }
    }

    /** mktree.py makes the small-file tree; without python3 or the script, the same layout in Java. */
    private static void makeTree(Path shared, Path root, int dirs, int perDir) throws IOException, InterruptedException {
        Path script = shared.resolve("mktree.py");
        if (Files.isRegularFile(script)) {
            command("python3", script.toString(), root.toString(), Integer.toString(dirs), Integer.toString(perDir));
            return;
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

    private static void command(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
