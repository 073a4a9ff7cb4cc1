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
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;
import static org.ioaio.wd.WdTesting.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Symlink races against a jail: a directory on the path replaced by a symlink to outside while
 * requests wait in the queue, or again and again while they run. Every request fails or acts
 * inside; nothing outside changes.
 *
 * <p>Layout: {@code tmp/jail/a} holds {@code f}, a FIFO {@code fifo} and an empty directory {@code e}; {@code
 * tmp/outside} holds the same names, so a request that followed the swapped-in symlink would hit them.
 */
@ExtendWith(EngineInvariants.class)
class JailRaceTest {

    @TempDir
    Path tmp;

    private Path jail;
    private Path outside;

    private void build() throws Exception {
        jail = Files.createDirectory(tmp.resolve("jail"));
        Files.createDirectories(jail.resolve("a/e"));
        Files.writeString(jail.resolve("a/f"), "inside");
        WdTesting.mkfifo(jail.resolve("a/fifo"));
        Files.writeString(jail.resolve("victim"), "victim");
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createDirectory(outside.resolve("e"));
        Files.writeString(outside.resolve("f"), "secret");
        WdTesting.mkfifo(outside.resolve("fifo"));
    }

    /** Every path request, on names under {@code a}. */
    static List<Function<AioEngine, AioFuture<?>>> requests() {
        Path f = Path.of("a/f");
        return List.of(
                in -> in.stat(f),
                in -> in.lstat(f),
                in -> in.open(f, O_WRONLY | O_TRUNC, 0),
                in -> in.open(Path.of("a/new"), O_WRONLY | O_CREAT, 0644),
                in -> in.load(f),
                in -> in.truncate(f, 0),
                in -> in.chmod(f, 0777),
                in -> in.chmod(f, 04777),
                in -> in.chown(f, 4242, 4242),
                in -> in.utime(f, 1.0, 1.0),
                in -> in.chmod(Path.of("a/fifo"), 0600),
                in -> in.chown(Path.of("a/fifo"), 4242, 4242),
                in -> in.utime(Path.of("a/fifo"), 1.0, 1.0),
                in -> in.unlink(f),
                in -> in.rmdir(Path.of("a/e")),
                in -> in.rename(f, Path.of("moved")),
                in -> in.rename(Path.of("victim"), Path.of("a/victim")),
                in -> in.rename2(Path.of("victim"), Path.of("a/v2"), RENAME_NOREPLACE),
                in -> in.mkdir(Path.of("a/newdir"), 0755),
                in -> in.mknod(Path.of("a/node"), S_IFREG | 0644, 0),
                in -> in.symlink(Path.of("x"), Path.of("a/sl")),
                in -> in.link(Path.of("victim"), Path.of("a/hl")),
                in -> in.link(f, Path.of("hl2")),
                in -> in.readlink(f),
                in -> in.realpath(f),
                in -> in.statvfs(f),
                in -> in.wd(Path.of("a")));
    }

    /** How the only worker is held while the symlink is swapped in. */
    enum Hold { MAX_PARALLEL_ZERO, BLOCKING_CUSTOM_TASK }

    static Stream<Arguments> holds() {
        List<Arguments> a = new ArrayList<>();
        WdTesting.kinds().forEach(kind -> {
            for (Hold h : Hold.values()) {
                for (boolean absolute : new boolean[] {true, false}) {
                    a.add(Arguments.of(kind, h, absolute));
                }
            }
        });
        return a.stream();
    }

    // A symlink to outside swapped in for a directory while requests are queued: resolved when they execute, every one fails with EXDEV.
    @ParameterizedTest(name = "{0}, {1}, absolute link: {2}")
    @MethodSource("holds")
    void aSymlinkSwappedInWhileQueuedIsNotFollowed(WdTesting.Kind kind, Hold hold, boolean absolute) throws Exception {
        build();
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        AioEngine.Builder b = kind.builder();
        b = hold == Hold.MAX_PARALLEL_ZERO ? b.maxParallel(0) : b.minParallel(1).maxParallel(1);
        try (AioEngine aio = b.build(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            AioFuture<Object> blocker = null;
            if (hold == Hold.BLOCKING_CUSTOM_TASK) {
                blocker = aio.custom(() -> {
                    holding.countDown();
                    release.await();
                    return null;
                });
                holding.await(); // the only worker is now inside the task
            }
            List<AioFuture<?>> queued = new ArrayList<>();
            for (Function<AioEngine, AioFuture<?>> r : requests()) {
                queued.add(r.apply(in));
            }
            assertThat(aio.nready()).as("all queued behind the held worker").isEqualTo(queued.size());

            Files.move(jail.resolve("a"), jail.resolve("a.old"));
            Files.createSymbolicLink(jail.resolve("a"), absolute ? outside : Path.of("../outside"));

            if (hold == Hold.MAX_PARALLEL_ZERO) {
                aio.maxParallel(1);
            } else {
                release.countDown();
            }
            for (int i = 0; i < queued.size(); i++) {
                assertThat(name(errno(aio, queued.get(i)))).as("request %d", i).isEqualTo("EXDEV");
            }
            if (blocker != null) {
                WdTesting.await(aio, blocker);
            }
        }
        assertThat(snapshot(tmp, Path.of("jail"))).isEqualTo(before);
        assertThat(WdTesting.names(jail.resolve("a.old"))).containsExactly("e", "f", "fifo");
        assertThat(WdTesting.names(jail)).containsExactly("a", "a.old", "victim");
    }

    /** The outcomes a request may have while its directory flips between itself and a symlink to outside. */
    private static final Set<String> ALLOWED = Set.of("0 (success)", "EXDEV", "ENOENT", "EAGAIN", "ELOOP", "ESTALE",
            "EEXIST", "ENOTEMPTY", "EINVAL", "ENOTDIR", "EISDIR");

    // Stress: a directory replaced by a symlink to outside and back, over and over, while every path request runs
    // through the jail on two workers: each fails or acts inside, and nothing outside ever changes.
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.ioaio.wd.WdTesting#kinds")
    void aDirectoryFlippingToASymlinkWhileRequestsRunNeverLetsOneOut(WdTesting.Kind kind) throws Exception {
        build();
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        int rounds = 100;
        AtomicReference<Throwable> watcherFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        // A link whose source path was redirected must never link the outside file, not even for an instant.
        AtomicInteger maxOutsideLinks = new AtomicInteger(1);
        Thread watcher = new Thread(() -> {
            Path secret = outside.resolve("f");
            while (!stop.get()) {
                try {
                    maxOutsideLinks.accumulateAndGet((Integer) Files.getAttribute(secret, "unix:nlink"), Math::max);
                } catch (Exception e) {
                    watcherFailure.set(e);
                    return;
                }
            }
        }, "test-watcher");
        List<String> outcomes = new ArrayList<>();
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail);
                SymlinkFlipper flipper = SymlinkFlipper.start(jail.resolve("a"), outside, Path.of("../outside"))) {
            AioEngine in = aio.in(j);
            watcher.start();
            List<Function<AioEngine, AioFuture<?>>> requests = requests();
            try {
                for (int round = 0; round < rounds || flipper.flips() < 20; round++) { // on until it flipped often enough
                    List<AioFuture<?>> batch = new ArrayList<>();
                    for (Function<AioEngine, AioFuture<?>> r : requests) {
                        batch.add(r.apply(in));
                    }
                    for (AioFuture<?> f : batch) {
                        outcomes.add(name(errno(aio, f)));
                    }
                }
                assertThat(flipper.flips()).as("flips meanwhile").isPositive();
            } finally {
                stop.set(true);
                watcher.join();
            }
        }
        assertThat(watcherFailure.get()).isNull();
        // the portable jail refuses set-id bits (EOPNOTSUPP): java.nio sets them only by path
        assertThat(outcomes).allMatch(o -> ALLOWED.contains(o) || kind == WdTesting.NIO && o.equals("EOPNOTSUPP"));
        assertThat(maxOutsideLinks.get()).as("links to the outside file, at most").isEqualTo(1);
        assertThat(snapshot(tmp, Path.of("jail"))).as("outside the jail").isEqualTo(before);
        assertThat(WdTesting.names(jail)).noneMatch(n -> n.startsWith(".aio-jail-"));
    }

    // A jail whose root cannot stage a creation: the directory created in is another file system
    // (a tmpfs mounted inside the jail), so the portable jail cannot make it in the root and rename
    // it into place. The directory flips to a symlink to outside and back while names are created
    // in it: each lands inside or fails, and nothing appears outside.
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.ioaio.wd.WdTesting#kinds")
    void aJailWhoseRootCannotStageNeverCreatesOutside(WdTesting.Kind kind) throws Exception {
        build();
        Path mnt = Files.createDirectory(jail.resolve("m"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes()).trim();
        boolean mounted = mount.waitFor() == 0;
        if (!mounted) {
            System.out.println("SKIPPED: cannot mount a tmpfs inside the jail (" + said + "): no second file system under its root");
        }
        assumeTrue(mounted, "cannot mount a tmpfs inside the jail (" + said + ")");
        try {
            Files.createDirectory(mnt.resolve("a"));
            Files.writeString(mnt.resolve("a/f"), "inside");
            Map<String, String> before = snapshot(tmp, Path.of("jail"));
            List<String> outcomes = new ArrayList<>();
            int made = 0;
            try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
                AioEngine in = aio.in(j);
                try (SymlinkFlipper flipper = SymlinkFlipper.start(mnt.resolve("a"), outside)) {
                    for (int round = 0; round < 150 || flipper.flips() < 20; round++) { // on until it flipped often enough
                        List<AioFuture<?>> batch = List.of(
                                in.mkdir(Path.of("m/a/d" + round), 0755),
                                in.symlink(Path.of("x"), Path.of("m/a/s" + round)),
                                in.link(Path.of("m/a/f"), Path.of("m/a/h" + round)));
                        for (AioFuture<?> f : batch) {
                            String o = name(errno(aio, f));
                            outcomes.add(o);
                            made += o.equals("0 (success)") ? 1 : 0;
                        }
                    }
                    assertThat(flipper.flips()).as("flips meanwhile").isPositive();
                }
                // the flipping over, each kind of creation works there
                List<AioFuture<?>> settled = List.of(
                        in.mkdir(Path.of("m/a/d"), 0755),
                        in.symlink(Path.of("x"), Path.of("m/a/s")),
                        in.link(Path.of("m/a/f"), Path.of("m/a/h")));
                for (AioFuture<?> f : settled) {
                    assertThat(name(errno(aio, f))).isEqualTo("0 (success)");
                }
            }
            assertThat(outcomes).allMatch(ALLOWED::contains);
            assertThat(WdTesting.names(mnt.resolve("a"))).as("every success made, every failure not").hasSize(made + 4);
            assertThat(Files.isDirectory(mnt.resolve("a/d"))).isTrue();
            assertThat(Files.readSymbolicLink(mnt.resolve("a/s"))).isEqualTo(Path.of("x"));
            assertThat(Files.isSameFile(mnt.resolve("a/f"), mnt.resolve("a/h"))).isTrue();
            assertThat(snapshot(tmp, Path.of("jail"))).as("outside the jail").isEqualTo(before);
            assertThat(WdTesting.names(jail)).noneMatch(n -> n.startsWith(".aio-jail-"));
        } finally {
            new ProcessBuilder("umount", "-l", mnt.toString()).start().waitFor();
        }
    }

    // Stress: an open file's name flips between the file and a symlink to a file outside while
    // its attributes are changed through the handle (fchmod, fchown, futimens), opened through the
    // jail and opened by its absolute path: each change reaches the opened file, never the outside one.
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.ioaio.wd.WdTesting#kinds")
    void aHandlesNameFlippingToASymlinkNeverRedirectsItsChanges(WdTesting.Kind kind) throws Exception {
        build();
        Path secret = outside.resolve("f");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        Object secretTimes = Files.getAttribute(secret, "unix:lastModifiedTime");
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            changeWhileFlipping(aio, aio.in(j), Path.of("a/f"), secret);
            changeWhileFlipping(aio, aio, jail.resolve("a/f"), secret);
        }
        assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Files.getAttribute(secret, "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(secret, "unix:lastModifiedTime")).isEqualTo(secretTimes);
        assertThat(snapshot(tmp, Path.of("jail"))).as("outside the jail").isEqualTo(before);
        assertThat(Files.getAttribute(jail.resolve("a/f"), "unix:uid")).as("the opened file").isEqualTo(4242);
        assertThat(Files.getLastModifiedTime(jail.resolve("a/f")).toMillis()).as("the opened file").isEqualTo(1000);
    }

    private void changeWhileFlipping(AioEngine aio, AioEngine via, Path name, Path secret) throws Exception {
        org.ioaio.AioFile file = WdTesting.await(aio, via.open(name, O_WRONLY, 0));
        List<String> outcomes = new ArrayList<>();
        try (SymlinkFlipper flipper = SymlinkFlipper.start(jail.resolve("a/f"), secret)) {
            for (int round = 0; round < 300 || flipper.flips() < 20; round++) { // on until it flipped often enough
                List<AioFuture<?>> batch = List.of(
                        via.chmod(file, round % 2 == 0 ? 0777 : 0700),
                        via.chown(file, 4242, 4242),
                        via.utime(file, 1.0, 1.0));
                for (AioFuture<?> f : batch) {
                    outcomes.add(name(errno(aio, f)));
                }
            }
            assertThat(flipper.flips()).as("flips meanwhile").isPositive();
        } finally {
            WdTesting.await(aio, via.close(file));
        }
        assertThat(outcomes).as("through the handle, whatever its name leads to").allMatch("0 (success)"::equals);
    }
}
