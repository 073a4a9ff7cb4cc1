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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;
import org.ioaio.AioOperations;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.FileStat;
import org.ioaio.ForwardingAioOperations;
import org.ioaio.IoUringMode;

/**
 * What the jail costs: {@code stat} of every file of a cached tree (as {@link StatBench}: 1000
 * directories x 100 files, 100 x 100 with {@code --quick}) through a jail of the tree's root,
 * against the same engine unjailed, in one run, on each backend.
 *
 * <ul>
 *   <li>unjailed: {@code aio.stat(absolute Path, cb)}, the engine itself;
 *   <li>jailed: {@code template.stat(relative String, cb)} where {@code template} is a {@link
 *       ForwardingAioOperations} over {@code aio.in(jail)}: exactly what the starter's {@code
 *       AioTemplate} is with {@code aio.root} set (it adds nothing on the request path);
 *   <li>one name per jail: {@code template.stat(file name, cb)} over a jail of the file's own
 *       directory (1000 jails): a name directly in its jail, which the native jail stats with one
 *       call on the jail's descriptor;
 *   <li>one name per working directory: {@code aio.in(wd).stat(file name, cb)} over an ordinary
 *       working directory of the file's own directory (IO::AIO's {@code [$wd, $name]}), which the
 *       native backend stats with one {@code fstatat} on the directory's descriptor.
 * </ul>
 *
 * Then the kernel's floor under the same names, without engine or JVM ({@code src/main/c/jail-floor.c},
 * built with the machine's {@code cc}): a race-free stat of a path below a directory is three calls
 * ({@code openat2} with {@code RESOLVE_BENEATH}, {@code statx}, {@code close}) where the unjailed
 * one is one, and that ratio bounds what any jail that resolves at every request can reach.
 *
 * <p>Every variant runs through one group with {@code limit(1024)} and a feeder, as {@link
 * StatBench}; every pass runs every variant, starting one later each pass; figures are medians over passes. The native backend is
 * measured with io_uring off too: the engine sends an unjailed {@code stat} to io_uring, never a
 * jailed one (a jail's paths resolve through {@code openat2}, on the workers).
 *
 * <p>Usage: {@code JailBench [--quick] [--passes N] [--shared-bench DIR] [--backend auto|nio|native]}.
 */
public final class JailBench {

    private static long delivered;
    private static long failed;
    private static int next;

    private static final AioCallback<FileStat> COUNT = r -> {
        if (r.ok() && r.value() != null) {
            delivered++;
        } else {
            failed++;
        }
    };

    private JailBench() {}

    /** What the starter's AioTemplate is over a root: a forwarder to the engine's jail view. */
    private static final class Template extends ForwardingAioOperations {
        private final AioOperations view;

        Template(AioOperations view) {
            this.view = view;
        }

        @Override
        protected AioOperations delegate() {
            return view;
        }

        @Override
        public AioOperations withPriority(int pri) {
            return new Template(view.withPriority(pri));
        }

        @Override
        public AioOperations withDeadline(java.time.Duration timeout) {
            return new Template(view.withDeadline(timeout));
        }

        @Override
        public AioOperations in(AioWorkingDirectory wd) {
            return new Template(view.in(wd));
        }
    }

    /**
     * Runs the benchmark and prints the table.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        int passes = 5;
        Path shared = Path.of("..", "shared", "bench");
        AioBackend backend = AioBackend.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--shared-bench" -> shared = Path.of(args[++i]);
                case "--backend" -> backend = AioBackend.valueOf(args[++i].toUpperCase());
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int dirs = quick ? 100 : 1000;
        try (TempFiles tree = TempFiles.directory("aio-jailbench-")) {
            Path root = tree.path();
            String how = StatBench.makeTree(shared, root, dirs, 100);
            StatBench.syncFs(root);
            Path[] files = StatBench.listFiles(root);
            String[] names = new String[files.length];
            for (int i = 0; i < files.length; i++) {
                names[i] = root.relativize(files[i]).toString();
            }
            List<Backends.Config> configs = new ArrayList<>(Backends.configs(backend));
            if (Backends.resolve(backend) == AioBackend.NATIVE) {
                configs.add(1, new Backends.Config("NATIVE, io_uring off", b -> b.backend(AioBackend.NATIVE).ioUring(IoUringMode.OFF)));
            }
            int threads = 8;
            System.out.println("# jailed stat of " + files.length + " cached files (tree " + how + "), " + threads + " threads, "
                    + passes + " passes; JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
            System.out.println("| backend | unjailed us/op | jailed us/op | jailed / unjailed | <= 1.3x? | one name per jail us/op | / unjailed"
                    + " | one name per working directory us/op | / unjailed |");
            System.out.println("|---|---:|---:|---:|---|---:|---:|---:|---:|");
            Map<Path, AioWorkingDirectory> dirJails = new LinkedHashMap<>();
            Map<Path, AioWorkingDirectory> dirWds = new LinkedHashMap<>();
            String[] leaves = new String[files.length];
            for (int i = 0; i < files.length; i++) {
                if (!dirJails.containsKey(files[i].getParent())) {
                    dirJails.put(files[i].getParent(), AioWorkingDirectory.jail(files[i].getParent()));
                    dirWds.put(files[i].getParent(), AioWorkingDirectory.open(files[i].getParent()));
                }
                leaves[i] = files[i].getFileName().toString();
            }
            try (AioWorkingDirectory jail = AioWorkingDirectory.jail(root)) {
                for (Backends.Config config : configs) {
                    try (AioEngine aio = config.engine(threads)) {
                        AioOperations jailed = new Template(aio.in(jail));
                        AioOperations[] own = new AioOperations[files.length];
                        AioEngine[] ownWd = new AioEngine[files.length];
                        for (int i = 0; i < files.length; i++) {
                            own[i] = new Template(aio.in(dirJails.get(files[i].getParent())));
                            ownWd[i] = aio.in(dirWds.get(files[i].getParent()));
                        }
                        for (int w = 0; w < Variant.WARM_UP_ROUNDS; w++) { // untimed: caches, then the JIT until steady
                            run(aio, files.length, i -> aio.stat(files[i], COUNT));
                            run(aio, files.length, i -> jailed.stat(names[i], COUNT));
                            run(aio, files.length, i -> own[i].stat(leaves[i], COUNT));
                            run(aio, files.length, i -> ownWd[i].stat(leaves[i], COUNT));
                        }
                        double[] plain = new double[passes];
                        double[] inJail = new double[passes];
                        double[] oneName = new double[passes];
                        double[] oneNameWd = new double[passes];
                        List<Variant> variants = List.of(
                                p -> plain[p] = run(aio, files.length, i -> aio.stat(files[i], COUNT)),
                                p -> inJail[p] = run(aio, files.length, i -> jailed.stat(names[i], COUNT)),
                                p -> oneName[p] = run(aio, files.length, i -> own[i].stat(leaves[i], COUNT)),
                                p -> oneNameWd[p] = run(aio, files.length, i -> ownWd[i].stat(leaves[i], COUNT)));
                        for (int p = 0; p < passes; p++) {
                            Variant.runPass(variants, p);
                        }
                        double a = Stats.median(plain);
                        double b = Stats.median(inJail);
                        double c = Stats.median(oneName);
                        double d = Stats.median(oneNameWd);
                        System.out.println("| " + config.name() + " | " + Stats.fmt(a, 3) + " | " + Stats.fmt(b, 3) + " | "
                                + Stats.fmt(b / a, 2) + " | " + (b / a <= 1.3 ? "yes" : "no") + " | " + Stats.fmt(c, 3) + " | "
                                + Stats.fmt(c / a, 2) + " | " + Stats.fmt(d, 3) + " | " + Stats.fmt(d / a, 2) + " |");
                    }
                }
            } finally {
                for (AioWorkingDirectory d : dirJails.values()) {
                    d.close();
                }
                for (AioWorkingDirectory d : dirWds.values()) {
                    d.close();
                }
            }
            kernelFloor(root, names, passes);
        }
    }

    /**
     * The kernel's floor, without engine or JVM: {@code src/main/c/jail-floor.c} compiled with the
     * machine's C compiler and run on the same names, one thread. Skipped, with the reason printed,
     * where there is no compiler.
     */
    private static void kernelFloor(Path root, String[] names, int passes) throws Exception {
        try (CProgram floor = CProgram.build("jail-floor")) {
            if (floor.unavailable() != null) {
                System.out.println("\nkernel floor: n/a (" + floor.unavailable() + ")");
                return;
            }
            Path list = Files.write(floor.file("names"), List.of(names));
            String out = floor.run(root.toString(), list.toString(), Integer.toString(Math.max(passes, 3)));
            String[] w = out == null ? new String[0] : out.trim().split("\\s+");
            if (w.length != 6) {
                System.out.println("\nkernel floor: n/a (jail-floor said: " + out + ")");
                return;
            }
            double abs = Double.parseDouble(w[1]);
            double beneath = Double.parseDouble(w[3]);
            double oneName = Double.parseDouble(w[5]);
            System.out.println("\nkernel floor (C, one thread, same names; `benchmarks/src/main/c/jail-floor.c`): statx of the absolute path "
                    + Stats.fmt(abs / 1e3, 3) + " us; openat2(RESOLVE_BENEATH) + statx + close " + Stats.fmt(beneath / 1e3, 3) + " us ("
                    + Stats.fmt(beneath / abs, 2) + "x); statx of one name on a held directory " + Stats.fmt(oneName / 1e3, 3) + " us ("
                    + Stats.fmt(oneName / abs, 2) + "x)");
        }
    }

    /** Submits one request per file. */
    private interface Submit {
        org.ioaio.AioRequest submit(int i);
    }

    /** One group, limit 1024, a feeder submitting; flushed; us per request. */
    private static double run(AioEngine aio, int n, Submit submit) {
        delivered = 0;
        failed = 0;
        next = 0;
        long t0 = System.nanoTime();
        aio.group(g -> {
            g.limit(StatBench.WINDOW);
            g.feed(grp -> {
                int i = next;
                if (i < n) {
                    next = i + 1;
                    grp.add(submit.submit(i));
                }
            });
        }, null);
        aio.flush();
        long t1 = System.nanoTime();
        if (delivered != n || failed != 0) {
            throw new IllegalStateException("stat: " + delivered + " of " + n + " ok, " + failed + " failed");
        }
        return (t1 - t0) / 1e3 / n;
    }
}
