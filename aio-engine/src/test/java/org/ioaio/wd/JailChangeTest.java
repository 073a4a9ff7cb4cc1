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
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;
import static org.ioaio.wd.WdTesting.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.Platform;
import org.ioaio.internal.sys.Syscalls;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The changes a jail walked in Java cannot make through the JDK's descriptors: set-id and sticky
 * bits (chmod, mknod, a creating open) and the attributes of a FIFO (opening one to change it
 * would block). Over the native layer they act relative to the walked directory, held again and
 * checked to be it; a directory on the path swapped for a symlink to outside at the worst moment
 * makes the change fail or land inside. Over the portable layer they are refused with EOPNOTSUPP,
 * before anything changes.
 *
 * <p>Layout: {@code tmp/jail/a/b} holds {@code d}, {@code f} and {@code fifo}; {@code tmp/outside/b} holds
 * the same names, so a change that followed {@code a} swapped for a symlink to {@code outside}
 * would hit them.
 */
@ExtendWith(EngineInvariants.class)
class JailChangeTest {

    @TempDir
    Path tmp;

    private Path jail;
    private Path outside;

    private void build() throws Exception {
        jail = Files.createDirectory(tmp.resolve("jail"));
        Files.createDirectories(jail.resolve("a/b/d"));
        Files.writeString(jail.resolve("a/b/f"), "inside");
        WdTesting.mkfifo(jail.resolve("a/b/fifo"));
        outside = Files.createDirectories(tmp.resolve("outside/b/d"));
        outside = outside.getParent().getParent();
        Files.writeString(outside.resolve("b/f"), "secret");
        WdTesting.mkfifo(outside.resolve("b/fifo"));
    }

    /**
     * One change, with what it leaves in {@code b} when it lands.
     *
     * @param name for display
     * @param submit submits it through the jail's view
     * @param landed whether directory {@code b} shows the change
     */
    record Change(String name, Function<AioEngine, AioFuture<?>> submit, Function<Path, Boolean> landed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Change> changes() {
        return Stream.of(
                new Change("chmod with the set-uid bit", in -> in.chmod(Path.of("a/b/f"), 04750),
                        b -> mode(b.resolve("f")) == 04750),
                new Change("chmod with the sticky bit", in -> in.chmod(Path.of("a/b/d"), 01777),
                        b -> mode(b.resolve("d")) == 01777),
                new Change("chmod of a FIFO", in -> in.chmod(Path.of("a/b/fifo"), 0604),
                        b -> mode(b.resolve("fifo")) == 0604),
                new Change("chown of a FIFO", in -> in.chown(Path.of("a/b/fifo"), 4242, 4343),
                        b -> attribute(b.resolve("fifo"), "unix:uid").equals(4242)
                                && attribute(b.resolve("fifo"), "unix:gid").equals(4343)),
                new Change("utime of a FIFO", in -> in.utime(Path.of("a/b/fifo"), 100.0, 200.0),
                        b -> attribute(b.resolve("fifo"), "lastModifiedTime").equals(FileTime.fromMillis(200_000))),
                new Change("mknod with the set-gid bit", in -> in.mknod(Path.of("a/b/node"), S_IFREG | 02640, 0),
                        b -> Files.exists(b.resolve("node"), LinkOption.NOFOLLOW_LINKS) && mode(b.resolve("node")) == 02640));
    }

    /** What the native walk also makes on the directory held again: it used to go by path. */
    static Stream<Change> creations() {
        return Stream.of(
                new Change("mkdir", in -> in.mkdir(Path.of("a/b/newdir"), 0750), b -> Files.isDirectory(b.resolve("newdir"))),
                new Change("symlink", in -> in.symlink(Path.of("x"), Path.of("a/b/sl")), b -> Files.isSymbolicLink(b.resolve("sl"))),
                new Change("open O_CREAT", in -> in.open(Path.of("a/b/new"), O_WRONLY | O_CREAT, 0640),
                        b -> Files.isRegularFile(b.resolve("new"), LinkOption.NOFOLLOW_LINKS)),
                new Change("open of a FIFO, O_RDWR", in -> in.open(Path.of("a/b/fifo"), O_RDWR, 0), b -> true),
                new Change("link", in -> in.link(Path.of("a/b/f"), Path.of("a/b/hl")),
                        b -> Files.isRegularFile(b.resolve("hl"), LinkOption.NOFOLLOW_LINKS) && attribute(b.resolve("f"), "unix:nlink").equals(2)));
    }

    static Stream<Change> heldChanges() {
        return Stream.concat(changes(), creations());
    }

    private static int mode(Path p) {
        return (Integer) attribute(p, "unix:mode") & 07777;
    }

    private static Object attribute(Path p, String name) {
        try {
            return Files.getAttribute(p, name, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Over the native layer without openat2, each change lands in the jail.
    @ParameterizedTest(name = "{0}")
    @MethodSource("heldChanges")
    void theNativeWalkMakesEachChangeInside(Change change) throws Exception {
        assumeNative();
        build();
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        assertThat(outcome(WdTesting.NATIVE_WALKED.engine(), change)).isEqualTo("0 (success)");
        assertThat(change.landed().apply(jail.resolve("a/b"))).as("the change, inside").isTrue();
        assertThat(snapshot(tmp, Path.of("jail"))).as("outside the jail").isEqualTo(before);
    }

    // The directory the walk reached is held again by the native layer; swapped for a symlink to outside just after that,
    // the change still lands in the directory the walk found (now renamed inside the jail), and nothing outside changes.
    @ParameterizedTest(name = "{0}")
    @MethodSource("heldChanges")
    void aDirectorySwappedAfterItIsHeldAgainStillGetsTheChange(Change change) throws Exception {
        assumeNative();
        build();
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        AtomicInteger swaps = new AtomicInteger();
        Syscalls hooked = swapping(Set.of("chmodAt", "chownAt", "utimeAt", "mknodAt", "mkdirAt", "symlinkAt", "openAt", "linkAt"), swaps,
                this::swapDirectory);
        assertThat(outcome(walkedOver(hooked), change)).isEqualTo("0 (success)");
        assertThat(swaps).as("the swap happened").hasValue(1);
        assertThat(Files.isSymbolicLink(jail.resolve("a"))).isTrue();
        assertThat(change.landed().apply(jail.resolve("a.parked/b"))).as("the change, in the walked directory").isTrue();
        assertThat(snapshot(tmp, Path.of("jail"))).as("outside the jail").isEqualTo(before);
    }

    // Swapped between the walk and the moment the native layer holds the directory again: the directory it opens is
    // not the walked one, so the change fails with EAGAIN and nothing changes anywhere.
    @ParameterizedTest(name = "{0}")
    @MethodSource("heldChanges")
    void aDirectorySwappedBeforeItIsHeldAgainFailsTheChange(Change change) throws Exception {
        assumeNative();
        build();
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        AtomicInteger swaps = new AtomicInteger();
        Syscalls hooked = swapping(Set.of("openDir"), swaps, this::swapDirectory);
        assertThat(outcome(walkedOver(hooked), change)).isEqualTo("EAGAIN");
        assertThat(swaps).as("the swap happened").hasValue(1);
        if (creations().noneMatch(c -> c.name().equals(change.name()))) {
            assertThat(change.landed().apply(jail.resolve("a.parked/b"))).as("the change, inside").isFalse();
        }
        assertThat(snapshot(tmp, Path.of("jail"))).as("outside the jail").isEqualTo(before);
        assertThat(WdTesting.names(jail.resolve("a.parked/b"))).as("nothing created").containsExactly("d", "f", "fifo");
    }

    static Stream<Change> plainChanges() {
        return Stream.of(
                new Change("chmod", in -> in.chmod(Path.of("a/b/f"), 0604), b -> mode(b.resolve("f")) == 0604),
                new Change("chown", in -> in.chown(Path.of("a/b/f"), 4242, 4343),
                        b -> attribute(b.resolve("f"), "unix:uid").equals(4242)),
                new Change("utime", in -> in.utime(Path.of("a/b/f"), 100.0, 200.0),
                        b -> attribute(b.resolve("f"), "lastModifiedTime").equals(FileTime.fromMillis(200_000))));
    }

    // Over the native layer chmod, chown and utime open nothing: a regular file the walk found, swapped for a FIFO before
    // the change, is changed as the FIFO it now is (inside the jail), and the request does not block.
    @ParameterizedTest(name = "{0}")
    @MethodSource("plainChanges")
    void aFileSwappedForAFifoNeverBlocksTheNativeWalk(Change change) throws Exception {
        assumeNative();
        build();
        Path f = jail.resolve("a/b/f");
        AtomicInteger swaps = new AtomicInteger();
        Syscalls hooked = swapping(Set.of("openDir"), swaps, () -> {
            Files.move(f, jail.resolve("a/b/f.old"));
            WdTesting.mkfifo(f);
        });
        String outcome = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> outcome(walkedOver(hooked), change),
                "the change blocked on the FIFO");
        assertThat(outcome).isEqualTo("0 (success)");
        assertThat(swaps).as("the swap happened").hasValue(1);
        assertThat(attribute(f, "isOther")).as("a FIFO now").isEqualTo(true);
        assertThat(change.landed().apply(jail.resolve("a/b"))).as("the FIFO changed").isTrue();
    }

    // Over the portable layer each change is refused before anything changes, inside or outside.
    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void thePortableWalkRefusesEachChange(Change change) throws Exception {
        build();
        Map<String, String> before = snapshot(tmp, null);
        assertThat(outcome(WdTesting.NIO.engine(), change)).isEqualTo("EOPNOTSUPP");
        assertThat(snapshot(tmp, null)).isEqualTo(before);
    }

    // A creating open with set-id bits: refused before the file is created over the portable layer; made with them over the native one.
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.ioaio.wd.WdTesting#kinds")
    void aCreatingOpenWithSetIdBitsIsMadeWithThemOrRefusedBeforeCreating(WdTesting.Kind kind) throws Exception {
        build();
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            AioFuture<AioFile> open = in.open(Path.of("a/b/new"), O_WRONLY | O_CREAT | O_EXCL, 02640);
            if (kind == WdTesting.NIO) {
                assertThat(name(errno(aio, open))).isEqualTo("EOPNOTSUPP");
                assertThat(jail.resolve("a/b/new")).doesNotExist();
            } else {
                WdTesting.await(aio, in.close(WdTesting.await(aio, open)));
                assertThat(mode(jail.resolve("a/b/new"))).isEqualTo(02640);
            }
        }
    }

    /** Runs the change through a jail of {@code jail} on {@code aio}, closed afterwards: its outcome's name. */
    private String outcome(AioEngine aio, Change change) throws Exception {
        try (aio; AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            return name(errno(aio, change.submit().apply(aio.in(j))));
        }
    }

    private static void assumeNative() {
        assumeThat(Platform.nativeLayer().available())
                .as("the native layer needs Java 22+ on Linux x86-64 or aarch64; this JVM has none")
                .isTrue();
    }

    /** An engine whose jails are walked in Java over {@code sys} (openat2 missing, as on Linux before 5.6). */
    private static AioEngine walkedOver(Syscalls sys) {
        Syscalls noOpenat2 = new FaultInjectingSyscalls().failAlways("beneath", Errno.ENOSYS).wrap(sys);
        return TestEngines.builderOn(noOpenat2).minParallel(2).build();
    }

    /** What a hook does, once. */
    @FunctionalInterface
    private interface Swap {
        void run() throws Exception;
    }

    /** Directory {@code jail/a} renamed to {@code a.parked} and replaced by a symlink to {@code outside}. */
    private void swapDirectory() throws Exception {
        Files.move(jail.resolve("a"), jail.resolve("a.parked"));
        Files.createSymbolicLink(jail.resolve("a"), outside);
    }

    /** The native layer, where the first call of one of {@code methods} is preceded by {@code swap}. */
    private static Syscalls swapping(Set<String> methods, AtomicInteger swaps, Swap swap) {
        Syscalls real = Platform.nativeLayer().syscalls();
        return (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
                (proxy, m, args) -> {
                    if (methods.contains(m.getName()) && swaps.get() == 0) {
                        swap.run();
                        swaps.incrementAndGet();
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
