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

package org.ioaio.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.Syscalls;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tree operations against an attacker who swaps names while they run (issue #13): a thread
 * moves directories of the tree away and puts a symlink to an outside directory in their place, or
 * replaces files with symlinks to an outside file, and puts them back, over and over, while the
 * operation runs. Nothing outside the tree (a canary tree: names, types, link targets and contents)
 * may change, and no outside content may be read into a copy. Each test runs rounds until a count
 * or a time bound is reached, on both backends, plain and through a jail; the message of a failure
 * says in how many rounds the race was won.
 */
class TreeRaceTest {

    /** Rounds per variant at most. */
    private static final int ROUNDS = 12;
    /** Time per variant at most (the last round started before it ends). */
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(4);
    /** Flips per round at most (a flipper also stops when the operation is done). */
    private static final int MAX_FLIPS = 200_000;
    private static final String SECRET = "OUTSIDE-SECRET";
    private static final String VICTIM = "VICTIM-";

    @TempDir
    Path tmp;

    private Path outside;
    private Path work;

    /**
     * What a test runs on.
     *
     * @param name for display
     * @param backend the backend
     * @param jailed whether the operation runs through a jail on the work directory
     */
    record Kind(String name, AioBackend backend, boolean jailed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        List<Kind> k = new ArrayList<>(List.of(new Kind("nio", AioBackend.NIO, false), new Kind("nio jail", AioBackend.NIO, true)));
        if (Platform.nativeLayer().available()) {
            k.add(new Kind("native", AioBackend.NATIVE, false));
            k.add(new Kind("native jail", AioBackend.NATIVE, true));
        } else {
            System.out.println("SKIPPED (native kinds): native backend not available: " + Platform.nativeLayer().reason());
        }
        return k.stream();
    }

    static Stream<Kind> plainKinds() {
        return kinds().filter(k -> !k.jailed());
    }

    // ------------------------------------------------------------------ the canary and the tree

    /**
     * The outside: a victim directory with the names a tree directory has (f0..f9, sub/g0..g4, so
     * that a path resolved through a swapped-in symlink finds something) and some of its own, and
     * a secret file.
     */
    private void makeOutside() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Path victim = Files.createDirectories(outside.resolve("victim/vdir")).getParent();
        Files.createDirectories(victim.resolve("sub"));
        Files.writeString(victim.resolve("vdir/deep"), VICTIM + "deep");
        for (int i = 0; i < 10; i++) {
            Files.writeString(victim.resolve("f" + i), VICTIM + "f" + i);
        }
        for (int i = 0; i < 5; i++) {
            Files.writeString(victim.resolve("sub/g" + i), VICTIM + "g" + i);
            Files.writeString(victim.resolve("victim-" + i), VICTIM + i);
        }
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        work = Files.createDirectories(tmp.resolve("work"));
    }

    /** Every name below {@code root} with its type and content (links not followed). */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    m.put(rel, "dir");
                } else {
                    m.put(rel, "file " + TreeTesting.sha256(p));
                }
            }
        }
        return m;
    }

    /** A tree: s0..s5, each with f0..f9 and sub/g0..g4. */
    private static List<Path> tree(Path t) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path s = Files.createDirectories(t.resolve("s" + i + "/sub"));
            s = s.getParent();
            for (int j = 0; j < 10; j++) {
                Files.writeString(s.resolve("f" + j), "inside " + i + " " + j);
            }
            for (int j = 0; j < 5; j++) {
                Files.writeString(s.resolve("sub/g" + j), "inside sub " + i + " " + j);
            }
            dirs.add(s);
        }
        return dirs;
    }

    // ------------------------------------------------------------------ the attacker

    /**
     * Swaps names for symlinks and back, in a loop, until stopped. One thread swaps every list in
     * turn, so that it never moves a name through a directory it swapped itself (that would write
     * outside).
     */
    private static final class Flipper implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong flips = new AtomicLong();
        private final CountDownLatch started = new CountDownLatch(1);
        private final Thread thread;

        Flipper(List<Path> names, Path parked, Path target) {
            this(List.of(names), parked, List.of(target));
        }

        /**
         * @param lists the names to swap, each list with its target
         * @param parked where a name is moved while a symlink takes its place
         * @param targets where the symlinks of each list lead (outside); relative to the link's directory
         */
        Flipper(List<List<Path>> lists, Path parked, List<Path> targets) {
            thread = new Thread(() -> {
                started.countDown();
                long n = 0;
                while (!stop.get() && n < MAX_FLIPS) {
                    for (int l = 0; l < lists.size(); l++) {
                    Path target = targets.get(l);
                    for (Path p : lists.get(l)) {
                        Path away = parked.resolve(p.getParent().getFileName() + "-" + p.getFileName());
                        try {
                            Files.move(p, away, StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException e) {
                            continue; // removed or moved by the operation: nothing to swap
                        }
                        try {
                            Files.createSymbolicLink(p, p.getParent().relativize(target));
                            flips.incrementAndGet();
                            Thread.onSpinWait();
                            Files.deleteIfExists(p); // the operation may have removed the link itself
                        } catch (FileAlreadyExistsException e) {
                            // the operation made the name meanwhile (a copy's destination)
                        } catch (IOException e) {
                            // the operation's business
                        }
                        try {
                            Files.move(away, p, StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException e) {
                            // the parent is gone: leave it parked
                        }
                        n++;
                    }
                    }
                }
            }, "tree-race-flipper");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits until the flipper runs. */
        Flipper running() throws InterruptedException {
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            return this;
        }

        long flips() {
            return flips.get();
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while stopping the flipper", e);
            }
            assertThat(thread.isAlive()).as("flipper stopped").isFalse();
        }
    }

    // ------------------------------------------------------------------ running

    /** An engine (and a jail on the work directory, when asked): the view requests go through, and its paths. */
    private final class Target implements AutoCloseable {
        final AioEngine engine;
        final AioEngine view;
        private final AioWorkingDirectory jail;

        Target(Kind kind, AioEngine engine) throws IOException {
            this.engine = engine;
            this.jail = kind.jailed() ? AioWorkingDirectory.jail(work) : null;
            this.view = jail == null ? engine : engine.in(jail);
        }

        /** The path to give the view for {@code p}. */
        Path path(Path p) {
            return jail == null ? p : work.relativize(p);
        }

        @Override
        public void close() {
            if (jail != null) {
                jail.close();
            }
            engine.close();
        }
    }

    /** Flushes and says whether the request succeeded (failures are allowed under attack). */
    private static boolean settle(AioEngine aio, AioFuture<?> f) {
        aio.flush();
        assertThat(f).isDone();
        return !f.isCompletedExceptionally() && !f.isCancelled();
    }

    /** One round: what was found wrong in it, or an empty list. */
    @FunctionalInterface
    private interface Round {
        List<String> run(int round) throws Exception;
    }

    /** Runs rounds until the count or time bound; asserts that none found anything wrong and that the attacker did flip. */
    private void rounds(String what, Round r, AtomicLong flips) throws Exception {
        long start = System.nanoTime();
        int rounds = 0;
        List<String> bad = new ArrayList<>();
        int caught = 0;
        while (rounds < ROUNDS && System.nanoTime() - start < MAX_NANOS) {
            List<String> found = r.run(rounds++);
            if (!found.isEmpty()) {
                caught++;
                if (bad.size() < 10) {
                    bad.add("round " + (rounds - 1) + ": " + found.subList(0, Math.min(5, found.size())));
                }
            }
        }
        System.out.println("TreeRaceTest " + what + ": " + caught + " of " + rounds + " rounds won by the attacker, "
                + flips.get() + " swaps");
        assertThat(flips.get()).as("the attacker swapped names").isPositive();
        assertThat(bad).as("%s: the attacker won %d of %d rounds", what, caught, rounds).isEmpty();
    }

    /** What changed outside since {@code before} (and the outside restored for the next round). */
    private List<String> outsideChanges(Map<String, String> before) throws IOException {
        Map<String, String> now = snapshot(outside);
        List<String> out = new ArrayList<>();
        if (!now.equals(before)) {
            for (String k : before.keySet()) {
                if (!before.get(k).equals(now.get(k))) {
                    out.add("outside " + k + " changed: " + now.get(k));
                }
            }
            for (String k : now.keySet()) {
                if (!before.containsKey(k)) {
                    out.add("outside " + k + " appeared");
                }
            }
            TreeTesting.sh("rm", "-rf", outside.toString());
            makeOutsideAgain();
        }
        return out;
    }

    private void makeOutsideAgain() throws IOException {
        Path w = work;
        makeOutside();
        work = w;
    }

    /** Regular files under {@code root} holding outside content. */
    private static List<String> outsideContent(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    String c = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                    if (c.startsWith(SECRET) || c.startsWith(VICTIM)) {
                        out.add("outside content read into " + root.relativize(p));
                    }
                }
            }
        }
        return out;
    }

    private AioEngine engine(Kind kind) {
        return AioEngine.builder().minParallel(4).backend(kind.backend()).build();
    }

    // ------------------------------------------------------------------ the tests

    // "A delete never follows a symbolic link": subdirectories swapped for symlinks to an outside directory while rmtree runs; nothing outside is removed.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void rmtreeNeverRemovesOutside(Kind kind) throws Exception {
        makeOutside();
        Map<String, String> before = snapshot(outside);
        AtomicLong flips = new AtomicLong();
        try (Target t = new Target(kind, engine(kind))) {
            rounds("rmtree " + kind, round -> {
                Path tree = work.resolve("t" + round);
                Path parked = Files.createDirectories(work.resolve("parked" + round));
                List<Path> dirs = tree(tree);
                List<Path> flipped = new ArrayList<>(dirs);
                for (Path d : dirs) {
                    flipped.add(d.resolve("sub"));
                }
                try (Flipper f = new Flipper(flipped, parked, outside.resolve("victim")).running()) {
                    settle(t.engine, t.view.rmtree(t.path(tree)));
                    flips.addAndGet(f.flips());
                }
                return outsideChanges(before);
            }, flips);
        }
    }

    // A tree copy whose source directories turn into symlinks to an outside directory, and whose files turn into symlinks to an outside file: no outside content in the copy, nothing outside changed.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void copyTreeNeverReadsOutside(Kind kind) throws Exception {
        makeOutside();
        Map<String, String> before = snapshot(outside);
        AtomicLong flips = new AtomicLong();
        try (Target t = new Target(kind, engine(kind))) {
            rounds("copyTree " + kind, round -> {
                Path tree = work.resolve("t" + round);
                Path copy = work.resolve("c" + round);
                Path parked = Files.createDirectories(work.resolve("parked" + round));
                List<Path> dirs = tree(tree);
                List<Path> files = new ArrayList<>();
                for (Path d : dirs) {
                    for (int j = 0; j < 10; j++) {
                        files.add(d.resolve("f" + j));
                    }
                }
                try (Flipper f = new Flipper(List.of(dirs, files), parked,
                        List.of(outside.resolve("victim"), outside.resolve("secret.txt"))).running()) {
                    settle(t.engine, t.view.copyTree(t.path(tree), t.path(copy)));
                    flips.addAndGet(f.flips());
                }
                List<String> found = new ArrayList<>(outsideContent(copy));
                found.addAll(outsideChanges(before));
                return found;
            }, flips);
        }
    }

    // A scandir of a directory that is swapped for a symlink to an outside directory, and back, while it runs: the answer is one directory's, never a mix of the two.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void scandirAnswersForOneDirectory(Kind kind) throws Exception {
        makeOutside();
        Map<String, String> before = snapshot(outside);
        AtomicLong flips = new AtomicLong();
        try (Target t = new Target(kind, engine(kind))) {
            rounds("scandir " + kind, round -> {
                Path tree = work.resolve("t" + round);
                Path parked = Files.createDirectories(work.resolve("parked" + round));
                List<Path> dirs = tree(tree);
                Path scanned = dirs.get(0);
                for (int i = 0; i < 3; i++) {
                    Files.createDirectory(scanned.resolve("d" + i)); // a link count above 2: entries are probed
                }
                Files.setLastModifiedTime(scanned, java.nio.file.attribute.FileTime.fromMillis(0));
                List<String> found = new ArrayList<>();
                try (Flipper f = new Flipper(List.of(scanned), parked, outside.resolve("victim")).running()) {
                    for (int i = 0; i < 40; i++) {
                        AioFuture<DirScan> s = t.view.scandir(t.path(scanned), 0);
                        if (settle(t.engine, s)) {
                            String got = names(s.join().dirs()) + " / " + names(s.join().nondirs());
                            if (!got.equals("[d0, d1, d2, sub] / [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9]")
                                    && !(got.equals("[sub, vdir] / [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, victim-0, victim-1, "
                                            + "victim-2, victim-3, victim-4]") && !kind.jailed())) {
                                found.add("mixed answer: " + got);
                            }
                        }
                    }
                    flips.addAndGet(f.flips());
                }
                found.addAll(outsideChanges(before));
                return found;
            }, flips);
        }
    }

    private static List<String> names(List<Path> l) {
        return l.stream().map(Path::toString).sorted().toList();
    }

    /** The engine's own layer for a kind, to wrap in a fault injector. */
    private static Syscalls layer(Kind kind) {
        return kind.backend() == AioBackend.NIO ? new NioSyscalls() : Platform.nativeLayer().syscalls();
    }

    // aio_move across file systems (EXDEV, injected) copies what rename would have moved: a source swapped for a symlink to an outside file is never copied as that file's content.
    @ParameterizedTest(name = "{0}")
    @MethodSource("plainKinds")
    void moveAcrossFileSystemsNeverCopiesOutside(Kind kind) throws Exception {
        makeOutside();
        Map<String, String> before = snapshot(outside);
        AtomicLong flips = new AtomicLong();
        FaultInjectingSyscalls exdev = new FaultInjectingSyscalls().failAlways("rename", Errno.EXDEV);
        try (Target t = new Target(kind, TestEngines.on(exdev.wrap(layer(kind)), 4))) {
            rounds("move " + kind, round -> {
                Path src = Files.createDirectories(work.resolve("m" + round));
                Path dst = Files.createDirectories(work.resolve("out" + round));
                Path parked = Files.createDirectories(work.resolve("parked" + round));
                List<Path> files = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    files.add(Files.writeString(src.resolve("m" + i), "inside " + i));
                }
                try (Flipper f = new Flipper(files, parked, outside.resolve("secret.txt")).running()) {
                    List<AioFuture<Void>> moves = new ArrayList<>();
                    for (Path p : files) {
                        moves.add(t.view.move(p, dst.resolve(p.getFileName())));
                    }
                    t.engine.flush();
                    flips.addAndGet(f.flips());
                }
                List<String> found = new ArrayList<>(outsideContent(dst));
                found.addAll(outsideChanges(before));
                return found;
            }, flips);
        }
    }

    // aio_copy whose destination name flips to a symlink to an outside file: the outside file is never written or truncated.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void copyNeverWritesThroughADestinationLink(Kind kind) throws Exception {
        makeOutside();
        Map<String, String> before = snapshot(outside);
        AtomicLong flips = new AtomicLong();
        try (Target t = new Target(kind, engine(kind))) {
            rounds("copy " + kind, round -> {
                Path dir = Files.createDirectories(work.resolve("k" + round));
                Path parked = Files.createDirectories(work.resolve("parked" + round));
                Path src = Files.writeString(work.resolve("source" + round), "inside source");
                List<Path> dsts = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    dsts.add(Files.writeString(dir.resolve("d" + i), "old"));
                }
                try (Flipper f = new Flipper(dsts, parked, outside.resolve("secret.txt")).running()) {
                    for (Path d : dsts) {
                        t.view.copy(t.path(src), t.path(d));
                    }
                    t.engine.flush();
                    flips.addAndGet(f.flips());
                }
                return outsideChanges(before);
            }, flips);
        }
    }
}
