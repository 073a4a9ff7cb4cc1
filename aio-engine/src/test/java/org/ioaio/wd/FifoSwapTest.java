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

package org.ioaio.wd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A FIFO renamed in, over and over, for a directory or a file the portable layer is about to open:
 * no request waits for a writer. The JDK opens a directory stream, and the file behind an attribute
 * view, with a plain {@code open(O_RDONLY)}, which on a FIFO waits until some process opens the
 * other end; a type check just before cannot stop a FIFO renamed in after it. Each case runs a
 * request many times while a flipper thread renames a FIFO and the real entry in and out; every
 * request must finish, with success or an errno a concurrent rename explains.
 *
 * <p>Layout: {@code tmp/jail/a/b} holds the directory {@code d} and the file {@code f}; the
 * flipper parks the real entry as {@code NAME.real} and the FIFO as {@code NAME.fifo} beside it.
 */
@ExtendWith(EngineInvariants.class)
class FifoSwapTest {

    /** Requests per case: each meets the name in one of its four states, and many meet a swap in their window. */
    private static final int REQUESTS = 3000;

    @TempDir
    Path tmp;

    private Flipper flipper;

    /**
     * One request, what it names, and the errnos a concurrent rename can explain.
     *
     * @param name for display
     * @param flipped the path (below {@code tmp/jail}) that becomes a FIFO and back
     * @param jailed whether it runs through a jail of {@code tmp/jail} (else by absolute path)
     * @param submit the request, given the engine (or the jail's view) and the path below {@code tmp/jail}
     * @param allowed the outcomes allowed besides success
     */
    record Case(String name, String flipped, boolean jailed, Function<Object[], AioFuture<?>> submit, Set<String> allowed,
            boolean succeeds) {
        Case(String name, String flipped, boolean jailed, Function<Object[], AioFuture<?>> submit, Set<String> allowed) {
            this(name, flipped, jailed, submit, allowed, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Set<String> gone = Set.of("ENOENT", "ENOTDIR");
        // a jail's walk answers ESTALE where a name kept leading elsewhere while it checked, EAGAIN where
        // a name was replaced at every attempt to open it; a FIFO is refused (EOPNOTSUPP) where met
        Set<String> jailedGone = Set.of("ENOENT", "ENOTDIR", "ESTALE", "EAGAIN");
        Set<String> jailedChange = Set.of("ENOENT", "ENOTDIR", "ESTALE", "EAGAIN", "EOPNOTSUPP");
        return Stream.of(
                // the jail's walk opens each directory on the way
                new Case("jailed stat below a directory that flips", "a/b", true,
                        x -> engine(x).stat(path(x, "a/b/f")), jailedGone),
                // the jail opens the final directory to list it
                new Case("jailed readdir of a directory that flips", "a/b", true,
                        x -> engine(x).readdir(path(x, "a/b")), jailedGone),
                // chmod, chown, utime of a regular file: the JDK's view would open it by name
                new Case("jailed chmod of a file that flips", "a/b/f", true,
                        x -> engine(x).chmod(path(x, "a/b/f"), 0640), jailedChange),
                new Case("jailed chown of a file that flips", "a/b/f", true,
                        x -> engine(x).chown(path(x, "a/b/f"), 0, 0), jailedChange),
                new Case("jailed utime of a file that flips", "a/b/f", true,
                        x -> engine(x).utime(path(x, "a/b/f"), 100.0, 200.0), jailedChange),
                // the same of a directory
                new Case("jailed chmod of a directory that flips", "a/b/d", true,
                        x -> engine(x).chmod(path(x, "a/b/d"), 0750), jailedChange),
                // by path: readdir checks, then opens; a tree walk opens each subdirectory relative to its parent
                new Case("readdir of a directory that flips", "a/b", false,
                        x -> engine(x).readdir(path(x, "a/b")), gone),
                // unlink opens the parent to unlink relative to it; the name is never there
                new Case("unlink in a directory that flips", "a/b", false,
                        x -> engine(x).unlink(path(x, "a/b/none")), gone, false),
                new Case("copyTree of a tree whose subdirectory flips", "a/b", false,
                        x -> engine(x).copyTree(path(x, "a"), path(x, "copy" + COPIES.incrementAndGet())),
                        // a FIFO met in the walk is copied as one, which java.nio cannot make (ENOSYS)
                        Set.of("ENOENT", "ENOTDIR", "ESTALE", "EAGAIN", "ENOSYS")));
    }

    private static final AtomicInteger COPIES = new AtomicInteger();

    private static AioEngine engine(Object[] x) {
        return (AioEngine) x[0];
    }

    private static Path path(Object[] x, String rel) {
        return ((Path) x[1]).resolve(rel);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aFifoRenamedInNeverHoldsAPortableRequest(Case c) throws Exception {
        Path jail = Files.createDirectories(tmp.resolve("jail"));
        Files.createDirectories(jail.resolve("a/b/d"));
        Files.writeString(jail.resolve("a/b/f"), "inside");
        flipper = new Flipper(jail.resolve(c.flipped()));
        Map<String, Integer> outcomes = new TreeMap<>();
        try (AioEngine aio = WdTesting.NIO.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            Object[] x = c.jailed() ? new Object[] {aio.in(j), Path.of("")} : new Object[] {aio, jail};
            flipper.start();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    for (int i = 0; i < REQUESTS; i++) {
                        outcomes.merge(name(errno(aio, c.submit().apply(x))), 1, Integer::sum);
                    }
                }, () -> "a request waited on the FIFO; outcomes so far " + outcomes + " after " + flipper.flips.get() + " flips");
            } finally {
                flipper.stop();
                flipper.release(); // before the engine closes: a worker waiting in open(2) would hold it
            }
        }
        assertThat(flipper.flips).as("the flipper ran").hasValueGreaterThan(10);
        if (c.succeeds()) {
            assertThat(outcomes).as("outcomes").containsKey("0 (success)");
        }
        assertThat(outcomes.keySet()).as("outcomes").isSubsetOf(union("0 (success)", c.allowed()));
    }

    // mkdir with the sticky bit sets it after the directory is made (java.nio cannot make it so): a FIFO put
    // in the new directory's place meanwhile (the directory removed, the FIFO renamed in) never holds it.
    @org.junit.jupiter.api.Test
    void aFifoPutInPlaceOfADirectoryJustMadeNeverHoldsMkdirWithTheStickyBit() throws Exception {
        Path x = tmp.resolve("x");
        Path parked = tmp.resolve("x.fifo");
        WdTesting.mkfifo(parked);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Files.deleteIfExists(x); // the directory mkdir made (the FIFO is parked now)
                    Files.move(parked, x, StandardCopyOption.ATOMIC_MOVE);
                    Thread.onSpinWait();
                    Files.move(x, parked, StandardCopyOption.ATOMIC_MOVE);
                    swaps.incrementAndGet();
                } catch (IOException e) {
                    // mkdir made x again first (the FIFO stays parked), or x is not empty: next round
                }
            }
        }, "fifo-swapper");
        swapper.setDaemon(true);
        Map<String, Integer> outcomes = new TreeMap<>();
        try (AioEngine aio = WdTesting.NIO.engine()) {
            swapper.start();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    for (int i = 0; i < REQUESTS; i++) {
                        outcomes.merge(name(errno(aio, aio.mkdir(x, 01755))), 1, Integer::sum);
                    }
                }, () -> "mkdir waited on the FIFO; outcomes so far " + outcomes + " after " + swaps.get() + " swaps");
            } finally {
                stop.set(true);
                swapper.join(10_000);
                release(x, parked);
            }
        }
        assertThat(swaps).as("the swapper ran").hasValueGreaterThan(10);
        assertThat(outcomes).as("outcomes").containsKey("0 (success)");
        // EEXIST: x was there (a directory not yet removed, or the FIFO); EAGAIN: the directory made was
        // replaced before the bit was set; ENOENT, ENOTDIR: removed, or the FIFO in its place, meanwhile
        assertThat(outcomes.keySet()).as("outcomes").isSubsetOf(Set.of("0 (success)", "EEXIST", "EAGAIN", "ENOENT", "ENOTDIR"));
    }

    private static Set<String> union(String one, Set<String> more) {
        Set<String> all = new java.util.HashSet<>(more);
        all.add(one);
        return all;
    }

    /** Opens each path read-write (which never waits on a FIFO), releasing a reader waiting in open(2) on a FIFO there. */
    private static void release(Path... paths) {
        for (Path p : paths) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.size();
            } catch (IOException | RuntimeException e) {
                // not a FIFO there now, or gone: nothing waits on it
            }
        }
    }

    /** Whatever happened, the flipper stops with its test. */
    @AfterEach
    void stopFlipping() throws Exception {
        if (flipper != null) {
            flipper.stop();
        }
    }

    /**
     * Renames {@code target} out and a FIFO in, then back, until stopped: the name is the real
     * entry, absent, a FIFO, absent, and so on.
     */
    private static final class Flipper {
        private final Path target;
        private final Path real;
        private final Path fifo;
        private final Thread thread;
        private volatile boolean stopped;
        final AtomicInteger flips = new AtomicInteger();

        Flipper(Path target) throws Exception {
            this.target = target;
            this.real = target.resolveSibling(target.getFileName() + ".real");
            this.fifo = target.resolveSibling(target.getFileName() + ".fifo");
            WdTesting.mkfifo(fifo);
            thread = new Thread(this::flip, "fifo-flipper");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void flip() {
            try {
                while (!stopped) {
                    move(target, real);
                    move(fifo, target);
                    Thread.onSpinWait();
                    move(target, fifo);
                    move(real, target);
                    flips.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException("the flipper failed", e);
            }
        }

        private static void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                throw new IllegalStateException("nothing else renames " + from, e);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            if (thread.isAlive()) {
                thread.join(10_000);
            }
        }

        /** Releases a reader waiting in open(2) on the FIFO, wherever it is. */
        void release() {
            FifoSwapTest.release(target, fifo);
        }
    }
}
