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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every workload (nop, stat, read, tree, latency, cost) in one command, each harness in its own JVM with this
 * JVM's flags, captures their markdown, and writes {@code BENCHMARKS.md}: the machine, the JDK, the
 * date, the command, each workload's tables, one SVG bar chart per workload, and a plain list of
 * where aio loses, taken from the ratio columns.
 *
 * <p>Usage: {@code Suite [--quick] [--passes N] [--shared-bench DIR] [--out FILE] [--results DIR]
 * [--command TEXT] [--started EPOCH_SECONDS]}. {@code --started} is when the command began (so the
 * build counts in the wall time stated); {@code --command} is the command as the user typed it.
 */
public final class Suite {

    /**
     * A workload: its name, its harness, what it measures, and the arguments the suite adds (before
     * any {@code --passes} of the command line, which wins) in full and in quick mode.
     */
    private record Workload(String name, String main, String what, List<String> fullArgs, List<String> quickArgs) {

        Workload(String name, String main, String what, List<String> fullArgs) {
            this(name, main, what, fullArgs, fullArgs);
        }
    }

    private static final List<Workload> WORKLOADS = List.of(
            new Workload("nop", "org.ioaio.bench.NopBench",
                    "request overhead: N no-op requests queued at once, then flushed, and no-ops through a group with limit 64, next to"
                            + " a bare ThreadPoolExecutor, virtual threads, Vert.x's executeBlocking and IO::AIO 4.8; bytes retained per"
                            + " queued request",
                    List.of("--ioaio-runs", "1", "--ioaio-up-to", "100000")),
            new Workload("stat", "org.ioaio.bench.StatBench",
                    "stat of cached files next to Files.readAttributes peers (sequential, ThreadPoolExecutor, virtual threads),"
                            + " Vert.x's FileSystem.props and IO::AIO 4.8", List.of()),
            new Workload("read", "org.ioaio.bench.ReadBench",
                    "random 4 KiB reads of a cached file next to FileChannel, AsynchronousFileChannel, virtual threads, Vert.x's"
                            + " AsyncFile, IO::AIO 4.8 and fio; then of the same file evicted from the page cache, next to FileChannel,"
                            + " IO::AIO 4.8 and fio (psync, and io_uring at the device's queue depth)", List.of()),
            new Workload("tree", "org.ioaio.bench.TreeBench",
                    "du, copy and rmtree of a tree of small files next to IO::AIO 4.8, a ForkJoinPool walker, virtual threads,"
                            + " Vert.x's readDir + lprops, du -s, cp -a and rm -rf, and the kernel's floor under du in C",
                    List.of("--passes", "3"), List.of("--passes", "2")),
            new Workload("latency", "org.ioaio.bench.LatencyBench",
                    "latency of one request: the round trip of a nop and of a stat (p50, p99), and a priority-4 request while 10k"
                            + " priority-0 requests wait, next to ThreadPoolExecutors, virtual threads, Vert.x and IO::AIO 4.8",
                    List.of()),
            new Workload("cost", "org.ioaio.bench.CostBench",
                    "threads and CPU time per 100k requests (nop and stat) next to a ThreadPoolExecutor, virtual threads, Vert.x and"
                            + " IO::AIO 4.8", List.of()));

    private Suite() {}

    /**
     * Runs the suite.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        String passes = null;
        String shared = "../shared/bench";
        Path out = null;
        Path results = null;
        String command = "benchmarks/bench.sh suite";
        long started = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--passes" -> passes = args[++i];
                case "--shared-bench" -> shared = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--results" -> results = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--started" -> started = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // quick runs prove the suite works: their output goes under target/, not over the published results
        if (out == null) {
            out = quick ? Path.of("benchmarks/target/quick/BENCHMARKS.md") : Path.of("BENCHMARKS.md");
        }
        if (results == null) {
            results = quick ? Path.of("benchmarks/target/quick/results") : Path.of("benchmarks/results");
        }
        Files.createDirectories(results);
        Path outDir = out.toAbsolutePath().getParent();
        Files.createDirectories(outDir);
        if (started < 0) {
            started = Instant.now().getEpochSecond();
        }
        Instant date = Instant.now();

        List<String> jvm = new ArrayList<>();
        jvm.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        jvm.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        jvm.add("-cp");
        jvm.add(System.getProperty("java.class.path"));

        StringBuilder body = new StringBuilder();
        List<String> losses = new ArrayList<>();
        List<String> timings = new ArrayList<>();
        for (Workload w : WORKLOADS) {
            List<String> cmd = new ArrayList<>(jvm);
            cmd.add(w.main());
            cmd.add("--shared-bench");
            cmd.add(shared);
            if (quick) {
                cmd.add("--quick");
            }
            cmd.addAll(quick ? w.quickArgs() : w.fullArgs()); // nop's IO::AIO runs once in quick mode anyway
            if (passes != null) {
                cmd.add("--passes");
                cmd.add(passes);
            }
            System.err.println("suite: running " + w.name() + " (" + w.main() + ")");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String text = tee(p.getInputStream());
            int rc = p.waitFor();
            double secs = (System.nanoTime() - t0) / 1e9;
            timings.add("| " + w.name() + " | " + Stats.fmt(secs, 0) + " |");

            body.append("\n## ").append(w.name()).append("\n\n").append(w.what()).append(". Harness: `")
                    .append(w.main().substring(w.main().lastIndexOf('.') + 1)).append("`, ")
                    .append(Stats.fmt(secs, 0)).append(" s.\n");
            if (rc != 0) {
                body.append("\n**The harness failed (exit status ").append(rc).append("); its output up to the failure follows.**\n");
                losses.add("- " + w.name() + ": the harness failed (exit status " + rc + "), so nothing is known.");
            }
            List<Block> blocks = Block.parse(text);
            String svg = Chart.svg(w.name(), blocks);
            if (svg != null) {
                Path file = results.resolve(w.name() + ".svg");
                Files.writeString(file, svg, StandardCharsets.UTF_8);
                String rel = outDir.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
                body.append("\n![").append(w.name()).append(": aio and its peers](").append(rel).append(")\n");
            }
            body.append(render(blocks));
            losses.addAll(Losses.of(w.name(), blocks));
        }
        long wall = Instant.now().getEpochSecond() - started;

        Path quickWall = Path.of("benchmarks/target/quick/wall-seconds.txt");
        // Only a plain --quick run states the quick budget's wall time (not CI's --quick --passes 1).
        boolean recordQuick = quick && passes == null;
        if (recordQuick) {
            Files.createDirectories(quickWall.getParent());
            Files.writeString(quickWall, wall + " " + date.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\n");
        }

        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by `").append(command).append("` (do not edit by hand: run it again). Every figure is a median of\n")
                .append("several passes, after ").append(Variant.WARM_UP_ROUNDS).append(" untimed runs of every in-process variant (on 2 busy cores the JIT needs\n")
                .append("several runs to settle); each run starts after a `System.gc()`, so none pays for the garbage of the one before it; every ratio is taken within this one run on this one machine: these machines are\n")
                .append("noisy (30% between runs), so compare only within a run.\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(DateTimeFormatter.ISO_INSTANT.format(date.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .append(" |\n");
        md.append("| command | `").append(command).append("` |\n");
        md.append("| mode | ").append(quick ? "quick (smaller sizes, at most 3 passes)" : "full").append(passes != null ? ", --passes " + passes : "")
                .append(" |\n");
        md.append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(cpuModel()).append(" |\n");
        md.append("| memory | ").append(memTotal()).append(" |\n");
        md.append("| kernel | ").append(run("uname", "-r")).append(" |\n");
        md.append("| filesystem of /tmp | ").append(fsType()).append(" |\n");
        md.append("| JDK | ").append(System.getProperty("java.vm.vendor")).append(' ').append(System.getProperty("java.vm.name"))
                .append(' ').append(Runtime.version()).append(" |\n");
        md.append("| JVM flags | `").append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("` |\n");
        md.append("| peers | ").append(run("perl", "-MIO::AIO", "-e", "print \"IO::AIO $IO::AIO::VERSION\"")).append("; ")
                .append(run("fio", "--version")).append(" |\n");

        md.append("\n## Where aio loses\n\n");
        md.append("Every ratio of the run's main ratio columns where aio did worse than a peer: took longer, waited longer (latency")
                .append(" p50 / p99) or used more CPU (best-pass columns left out). Rows against fio, `du -s`, `cp -a` and `rm -rf`")
                .append(" compare with the machine's limit, which no library is expected to reach.\n\n");
        if (losses.isEmpty()) {
            md.append("Nowhere in this run.\n");
        } else {
            for (String l : losses) {
                md.append(l).append('\n');
            }
        }

        md.append("\n## Time budget\n\n");
        md.append("Budgets on 2 cores: the full suite under 10 minutes, `--quick` under 2 minutes. Wall time of this run, from\n")
                .append("the command's start (the build included) to this file: **").append(wall / 60).append(" min ")
                .append(wall % 60).append(" s**.\n");
        if (!quick && Files.isRegularFile(quickWall)) {
            String[] q = Files.readString(quickWall).trim().split(" ");
            md.append(quickLine(Long.parseLong(q[0]), q.length > 1 ? q[1] : "?")).append('\n');
        }
        md.append("\nWhat the suite chose to fit: each harness at its own sizes and passes, except ")
                .append("IO::AIO's nop once per size instead of 3 times, and not at 1M queued (one run there takes 70 to 100 s; ")
                .append("`benchmarks/bench.sh nop` measures it) ")
                .append("and the tree at 3 passes instead of 5 (a pass copies and removes 100k files several times). ")
                .append("So: nop 10k/100k/1M queued and 100k through a group, 20 passes (50 at 10k queued: short runs, and a bimodal ThreadPoolExecutor); stat 100k files, 5 passes; read 1 GiB file, ")
                .append("100k cached reads per variant, 5 passes (fio 3 runs), then 20k uncached reads per variant, 3 passes; ")
                .append("tree 100k files, 3 passes; latency 5k round trips per variant, 3 passes, and 1000 priority rounds; ")
                .append("cost 100k requests per variant, 3 passes. `--passes N` overrides every harness's passes ")
                .append("(nop takes 4 times N, 10 times at 10k queued; latency and cost ")
                .append("take at most 3). `--quick`: nop 10k/100k and 20k through a group, stat 10k files, read 256 MiB ")
                .append("(50k cached reads, fio 1 run, 5k uncached reads), tree 10k files, latency 1k round trips and 100 priority ")
                .append("rounds, cost over 1k files; at most 3 passes (tree 2, latency 2, cost 1: a quick tree pass copies 10k ")
                .append("files, 2 to 8 s here depending on writeback).\n\n");
        md.append("| workload | seconds (harness JVM) |\n|---|---:|\n");
        for (String t : timings) {
            md.append(t).append('\n');
        }

        md.append(body);

        md.append("\n## Peers not run, and why\n\n");
        for (String l : List.of(
                "IO::AIO has no tree copy, so the copy table has no IO::AIO row; `ioaio-bench.pl` has no group-nop, latency or CPU"
                        + " workload, so those IO::AIO rows come from small perl programs inside the harnesses (named in each table's notes);",
                "Vert.x's `executeBlocking` and `FileSystem` have no request priority (FIFO, as the FIFO ThreadPoolExecutor row), so"
                        + " the priority table does not run Vert.x; Vert.x's copy and rmtree are not run;",
                "the uncached reads compare aio with `FileChannel`, IO::AIO and fio only (virtual threads, AsynchronousFileChannel and"
                        + " Vert.x are measured cached).")) {
            md.append("- ").append(l).append('\n');
        }
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        if (recordQuick) {
            recordQuickWall(Path.of("BENCHMARKS.md"), quickLine(wall, date.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        }
        System.err.println("suite: wrote " + out + " and " + results + "/*.svg in " + wall + " s");
    }

    private static final String QUICK_MARK = "<!-- quick-wall -->";

    private static String quickLine(long seconds, String when) {
        return QUICK_MARK + "The last `benchmarks/bench.sh suite --quick` on this machine (" + when + ") took **" + seconds / 60
                + " min " + seconds % 60 + " s**.";
    }

    /**
     * A quick run states its wall time in the published BENCHMARKS.md's time budget (that one line,
     * nothing else), so the published file names both budgets.
     */
    private static void recordQuickWall(Path published, String line) throws IOException {
        if (!Files.isRegularFile(published)) {
            return;
        }
        List<String> in = Files.readAllLines(published, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String l : in) {
            if (!l.startsWith(QUICK_MARK)) {
                lines.add(l);
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("to this file: **")) {
                lines.add(i + 1, line);
                Files.write(published, lines, StandardCharsets.UTF_8);
                return;
            }
        }
    }

    /** Copies the harness's output to our stdout as it comes, and returns it. */
    private static String tee(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            all.write(buf, 0, n);
            System.out.write(buf, 0, n);
            System.out.flush();
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** The harness output as markdown: comment lines become a list, tables stay tables. */
    private static String render(List<Block> blocks) {
        StringBuilder s = new StringBuilder();
        for (Block b : blocks) {
            s.append('\n');
            if (b.title != null) {
                s.append("### ").append(b.title).append("\n\n");
            }
            for (String n : b.notes) {
                s.append("- ").append(n).append('\n');
            }
            if (!b.notes.isEmpty() && !b.rows.isEmpty()) {
                s.append('\n');
            }
            if (!b.rows.isEmpty()) {
                s.append(Block.line(b.header)).append('\n').append(b.align).append('\n');
                for (List<String> r : b.rows) {
                    s.append(Block.line(r)).append('\n');
                }
            }
        }
        return s.toString();
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return " (" + l.substring(l.indexOf(':') + 1).trim() + ")";
                }
            }
        } catch (IOException e) {
            // not Linux: no model
        }
        return "";
    }

    private static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB (MemTotal %d kB)", kb / 1048576.0, kb);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "unknown: " + e.getMessage();
        }
        return "unknown";
    }

    private static String fsType() {
        try {
            return Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).type() + " ("
                    + System.getProperty("java.io.tmpdir") + ")";
        } catch (IOException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /** A command's first line of output, or why it could not run. */
    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            String first = s.isEmpty() ? "" : s.lines().findFirst().orElse("");
            return rc == 0 ? first : cmd[0] + " unavailable";
        } catch (IOException e) {
            return cmd[0] + " unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cmd[0] + " interrupted";
        }
    }

    /** A piece of a harness's output: a title, comment lines, and a table (possibly empty). */
    static final class Block {
        String title;
        final List<String> notes = new ArrayList<>();
        List<String> header = List.of();
        String align = "";
        final List<List<String>> rows = new ArrayList<>();

        /** Splits output into blocks: each table with the comment lines above it; "## x" lines start a titled section. */
        static List<Block> parse(String text) {
            List<Block> blocks = new ArrayList<>();
            Block cur = new Block();
            for (String raw : text.split("\n")) {
                String l = raw.strip();
                if (l.startsWith("|")) {
                    List<String> cells = cells(l);
                    if (cur.header.isEmpty()) {
                        cur.header = cells;
                    } else if (cur.align.isEmpty() && l.replaceAll("[|:\\- ]", "").isEmpty()) {
                        cur.align = l;
                    } else {
                        cur.rows.add(cells);
                    }
                    continue;
                }
                if (!cur.rows.isEmpty() || !cur.header.isEmpty()) {
                    blocks.add(cur);
                    cur = new Block();
                }
                if (l.startsWith("## ")) {
                    if (!cur.notes.isEmpty()) {
                        blocks.add(cur);
                        cur = new Block();
                    }
                    cur.title = l.substring(3).trim();
                } else if (l.startsWith("#")) {
                    cur.notes.add(l.replaceFirst("^#+\\s*", ""));
                } else if (!l.isEmpty()) {
                    cur.notes.add(l);
                }
            }
            if (!cur.rows.isEmpty() || !cur.header.isEmpty() || !cur.notes.isEmpty()) {
                blocks.add(cur);
            }
            // the section a block belongs to: its own title, or the last title above it
            String last = null;
            for (Block b : blocks) {
                if (b.title != null) {
                    last = b.title;
                }
                b.section = last;
            }
            return blocks;
        }

        String section;

        static List<String> cells(String line) {
            String l = line.strip();
            if (l.startsWith("|")) {
                l = l.substring(1);
            }
            if (l.endsWith("|")) {
                l = l.substring(0, l.length() - 1);
            }
            List<String> c = new ArrayList<>();
            for (String s : l.split("\\|", -1)) {
                c.add(s.strip());
            }
            return c;
        }

        static String line(List<String> cells) {
            return "| " + String.join(" | ", cells) + " |";
        }

        int column(String name) {
            return header.indexOf(name);
        }

        /** The number in a cell ("1.23", "4.5x"), or NaN. */
        static double number(String cell) {
            String s = cell.replace("x", "").replace("`", "").trim();
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
    }
}
