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
import static org.ioaio.AioConstants.AT_SYMLINK_NOFOLLOW;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_TMPFILE;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.STATX_BASIC_STATS;
import static org.ioaio.AioConstants.STATX_BTIME;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.wd.WdTesting.await;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;
import static org.ioaio.wd.WdTesting.snapshot;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.internal.Platform;
import org.ioaio.internal.sys.DirectoryHandle;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.ForwardingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;
import org.ioaio.internal.sys.WorkingDirectorySyscalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A jail over the native layer is resolved by the kernel: {@code openat2(2)} with {@code
 * RESOLVE_BENEATH} (counted by {@code LinuxBeneathSyscalls.openat2Calls()}), never by the Java
 * walk; where {@code openat2} is missing ({@code Syscalls.beneath} fails with ENOSYS) the walk takes
 * over. What the answers are is the same either way ({@link JailTraversalTest}, {@link JailTest},
 * {@link JailRaceTest} run on every kind); this test proves which one ran, and what only the
 * native layer can do in a jail. An ordinary working directory over the native layer is the
 * kernel's too ({@code *at} calls on its descriptor). Skipped, with the reason printed, where the
 * native backend is unavailable.
 */
@ExtendWith(EngineInvariants.class)
class KernelJailTest {

    @TempDir
    Path tmp;

    private Path jail;

    @BeforeEach
    void nativeLayerAndJail() throws Exception {
        if (!Platform.nativeLayer().available()) {
            String why = "native backend not available: " + Platform.nativeLayer().reason();
            System.out.println("SKIPPED: " + why);
            assumeTrue(false, why);
        }
        jail = Files.createDirectory(tmp.resolve("jail"));
        Files.createDirectories(jail.resolve("a/e"));
        Files.writeString(jail.resolve("a/f"), "inside");
        Files.writeString(jail.resolve("victim"), "victim");
        Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/f"), "secret");
    }

    /** The openat2 calls every jail made so far ({@code LinuxBeneathSyscalls.openat2Calls()}, a Java 22 class: by name). */
    private static long openat2Calls() {
        try {
            return (long) Class.forName("org.ioaio.internal.linux.LinuxBeneathSyscalls").getMethod("openat2Calls").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // Each kernel layer makes every path call itself: a Pathname form, or a call that only has a Path form, left to
    // ForwardingSyscalls would hand the path to the native layer, which resolves it from the process's working directory.
    // (The Path forms that have a Pathname twin are ForwardingSyscalls', which passes them to the layer's own twin.)
    @ParameterizedTest
    @MethodSource("kernelLayers")
    void theKernelLayersMakeEveryPathCallThemselves(String layer) throws Exception {
        Class<?> c = Class.forName("org.ioaio.internal.linux." + layer);
        List<String> checked = new ArrayList<>();
        for (Method m : Syscalls.class.getMethods()) {
            List<Class<?>> types = Arrays.asList(m.getParameterTypes());
            boolean named = types.contains(Pathname.class)
                    || (types.contains(Path.class) && !types.contains(TreeDir.class) && !hasPathnameTwin(m));
            if (named) {
                Class<?> declaring = c.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
                assertThat(declaring).as("%s.%s", layer, m).isNotEqualTo(ForwardingSyscalls.class);
                checked.add(m.getName());
            }
        }
        assertThat(checked).contains("lstat", "mkdir", "symlink", "rename2", "readdirDents", "openDir", "realpath").hasSizeGreaterThan(20);
    }

    static Stream<String> kernelLayers() {
        return Stream.of("LinuxRelativeSyscalls", "LinuxBeneathSyscalls");
    }

    private static boolean hasPathnameTwin(Method m) {
        Class<?>[] twin = m.getParameterTypes().clone();
        for (int i = 0; i < twin.length; i++) {
            if (twin[i] == Path.class) {
                twin[i] = Pathname.class;
            }
        }
        try {
            Syscalls.class.getMethod(m.getName(), twin);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Path requests under {@code a}, each of which succeeds inside the jail (in this order). */
    private static List<Function<AioEngine, AioFuture<?>>> requests() {
        Path f = Path.of("a/f");
        return List.of(
                in -> in.stat(f),
                in -> in.lstat(f),
                in -> in.statx(f, 0, STATX_BASIC_STATS),
                in -> in.open(f, O_RDONLY, 0),
                in -> in.open(Path.of("a/new"), O_WRONLY | O_CREAT, 0644),
                in -> in.load(f),
                in -> in.truncate(f, 3),
                in -> in.chmod(f, 0640),
                in -> in.chown(f, 4242, 4242),
                in -> in.utime(f, 1.0, 2.0),
                in -> in.readdir(Path.of("a")),
                in -> in.mkdir(Path.of("a/d"), 0755),
                in -> in.mknod(Path.of("a/node"), S_IFREG | 0644, 0),
                in -> in.symlink(Path.of("f"), Path.of("a/sl")),
                in -> in.readlink(Path.of("a/sl")),
                in -> in.link(f, Path.of("a/hl")),
                in -> in.rename(Path.of("a/hl"), Path.of("a/hl2")),
                in -> in.rename2(Path.of("a/hl2"), Path.of("a/hl3"), RENAME_NOREPLACE),
                in -> in.unlink(Path.of("a/hl3")),
                in -> in.rmdir(Path.of("a/d")),
                in -> in.realpath(f),
                in -> in.statvfs(f),
                in -> in.wd(Path.of("a")));
    }

    // The native backend resolves each path request of a jail with openat2 (at least one call per request on a path
    // below a directory), and every one of them succeeds inside.
    @Test
    void everyPathRequestOfANativeJailGoesThroughOpenat2() throws Exception {
        try (AioEngine aio = WdTesting.NATIVE.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            assertThat(aio.backend()).isEqualTo(AioBackend.NATIVE);
            AioEngine in = aio.in(j);
            List<Function<AioEngine, AioFuture<?>>> requests = requests();
            for (int i = 0; i < requests.size(); i++) {
                long before = openat2Calls();
                assertThat(name(errno(aio, requests.get(i).apply(in)))).as("request %d", i).isEqualTo(name(0));
                assertThat(openat2Calls()).as("openat2 calls made by request %d", i).isGreaterThan(before);
            }
        }
        assertThat(Files.readString(jail.resolve("a/f"))).isEqualTo("ins");
        assertThat(WdTesting.names(jail.resolve("a"))).containsExactly("e", "f", "new", "node", "sl");
        assertThat(WdTesting.names(jail)).as("nothing staged in the root: the kernel needs no staging").containsExactly("a", "victim");
    }

    // openat2 fails a ".." with EAGAIN when a rename anywhere in the system raced it (here: in a directory beside the
    // jail, never on the path); the jail resolves such a path again, so a ".." that stays inside always succeeds and
    // one that climbs out is always EXDEV, however many renames run meanwhile.
    @Test
    void renamesElsewhereNeverMakeADotDotFailWithEagain() throws Exception {
        Path busy = Files.createDirectory(tmp.resolve("busy"));
        Path x = Files.writeString(busy.resolve("x"), "");
        Path y = busy.resolve("y");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong renames = new AtomicLong();
        Thread renamer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.move(x, y);
                    Files.move(y, x);
                    renames.addAndGet(2);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "test-renamer");
        Map<String, Integer> outcomes = new TreeMap<>();
        try (AioEngine aio = WdTesting.NATIVE.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            renamer.start();
            for (int i = 0; i < 3000; i++) {
                outcomes.merge("inside " + name(errno(aio, in.stat(Path.of("a/e/../f")))), 1, Integer::sum);
                outcomes.merge("outside " + name(errno(aio, in.stat(Path.of("a/../../outside/f")))), 1, Integer::sum);
            }
        } finally {
            stop.set(true);
            renamer.join();
        }
        assertThat(renames.get()).as("renames meanwhile").isGreaterThan(1000);
        assertThat(outcomes).isEqualTo(Map.of("inside 0 (success)", 3000, "outside EXDEV", 3000));
    }

    // The portable backend and the native one without openat2 walk the jail in Java: not one openat2 call, same results.
    @Test
    void withoutOpenat2TheJailIsWalkedInJava() throws Exception {
        for (WdTesting.Kind kind : List.of(WdTesting.NIO, WdTesting.NATIVE_WALKED)) {
            Path copy = Files.createDirectory(tmp.resolve("jail-" + kind.backend()));
            Files.createDirectories(copy.resolve("a/e"));
            Files.writeString(copy.resolve("a/f"), "inside");
            try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(copy)) {
                AioEngine in = aio.in(j);
                long before = openat2Calls();
                for (Function<AioEngine, AioFuture<?>> r : requests()) {
                    assertThat(name(errno(aio, r.apply(in)))).as(kind.name()).isEqualTo(name(0));
                }
                assertThat(name(errno(aio, in.stat(Path.of("../outside/f"))))).isEqualTo("EXDEV");
                assertThat(openat2Calls()).as(kind.name()).isEqualTo(before);
            }
        }
    }

    // The working directory layer says which resolution a view uses: the kernel's over the native layer (openat2 for a
    // jail, *at calls for an ordinary working directory), Java's over the portable one and, for a jail, over a native
    // layer whose beneath() fails with ENOSYS.
    @Test
    void theWorkingDirectoryLayerResolvesInTheKernelOverTheNativeLayer() throws Exception {
        try (DirectoryHandle j = DirectoryHandle.open(jail, true); DirectoryHandle wd = DirectoryHandle.open(jail, false)) {
            assertThat(new WorkingDirectorySyscalls(Platform.nativeLayer().syscalls(), j).resolvesInKernel()).isTrue();
            assertThat(new WorkingDirectorySyscalls(new NioSyscalls(), j).resolvesInKernel()).isFalse();
            assertThat(new WorkingDirectorySyscalls(Platform.nativeLayer().syscalls(), wd).resolvesInKernel()).isTrue();
            assertThat(new WorkingDirectorySyscalls(new NioSyscalls(), wd).resolvesInKernel()).isFalse();
            FaultInjectingSyscalls noRelative = new FaultInjectingSyscalls().failAlways("relative", Errno.ENOSYS);
            WorkingDirectorySyscalls inJava = new WorkingDirectorySyscalls(noRelative.wrap(Platform.nativeLayer().syscalls()), wd);
            assertThat(inJava.resolvesInKernel()).isFalse();
            assertThat(inJava.stat(Path.of("a/f")).size()).isEqualTo(6);
            assertThat(noRelative.injections()).hasSize(1); // asked once, then remembered
            FaultInjectingSyscalls noOpenat2 = new FaultInjectingSyscalls().failAlways("beneath", Errno.ENOSYS);
            WorkingDirectorySyscalls walked = new WorkingDirectorySyscalls(noOpenat2.wrap(Platform.nativeLayer().syscalls()), j);
            assertThat(walked.resolvesInKernel()).isFalse();
            assertThat(walked.stat(Path.of("a/f")).size()).isEqualTo(6);
            assertThat(noOpenat2.injections()).hasSize(1); // asked once, then remembered
        }
    }

    // A view survives interrupts (its requests may run on a flushing thread) as its chosen layer does: a kernel jail once
    // chosen, as the native layer; before its first call, and walked in Java, not, except for its calls that only name files.
    @Test
    void aViewSurvivesInterruptsAsItsChosenLayer() throws Exception {
        try (DirectoryHandle j = DirectoryHandle.open(jail, true)) {
            WorkingDirectorySyscalls kernel = new WorkingDirectorySyscalls(Platform.nativeLayer().syscalls(), j);
            assertThat(kernel.survivesInterrupts()).as("before the first call").isFalse();
            assertThat(kernel.resolvesInKernel()).isTrue();
            assertThat(kernel.survivesInterrupts()).isEqualTo(Platform.nativeLayer().syscalls().survivesInterrupts()).isTrue();
            WorkingDirectorySyscalls walked = new WorkingDirectorySyscalls(new NioSyscalls(), j);
            assertThat(walked.resolvesInKernel()).isFalse();
            assertThat(walked.survivesInterrupts()).isFalse();
            assertThat(walked.namingCallsSurviveInterrupts()).as("its calls that only name files").isTrue();
            assertThat(kernel.namingCallsSurviveInterrupts()).isTrue();
        }
    }

    // A closed jail fails its requests with EBADF on the kernel's resolution too, and its descriptor is released with it.
    @Test
    void aClosedNativeJailGivesEbadf() throws Exception {
        try (AioEngine aio = WdTesting.NATIVE.engine()) {
            AioWorkingDirectory j = AioWorkingDirectory.jail(jail);
            AioEngine in = aio.in(j);
            assertThat(await(aio, in.stat(Path.of("a/f"))).size()).isEqualTo(6);
            j.close();
            assertThat(name(errno(aio, in.stat(Path.of("a/f"))))).isEqualTo("EBADF");
            assertThat(name(errno(aio, in.lstat(Path.of("f"))))).isEqualTo("EBADF");
            assertThat(name(errno(aio, in.open(Path.of("a/f"), O_RDONLY, 0)))).isEqualTo("EBADF");
            assertThat(name(errno(aio, in.mkdir(Path.of("x"), 0755)))).isEqualTo("EBADF");
        }
    }

    static Stream<WdTesting.Kind> nativeKinds() {
        return Stream.of(WdTesting.NATIVE, WdTesting.NATIVE_WALKED);
    }

    // What the native layer does inside a jail, resolved by the kernel or walked in Java over directories it holds (the
    // portable walk refuses it): O_PATH and O_TMPFILE opens, RENAME_EXCHANGE, a FIFO from mknod, the birth time from
    // statx; a symlink swapped in is never followed out.
    @ParameterizedTest(name = "{0}")
    @MethodSource("nativeKinds")
    void theNativeLayerDoesWhatThePortableWalkCannot(WdTesting.Kind kind) throws Exception {
        Files.writeString(jail.resolve("a/g"), "gee");
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            try (AioFile p = await(aio, in.open(Path.of("a/f"), O_PATH, 0))) {
                assertThat(await(aio, in.stat(p)).size()).isEqualTo(6);
            }
            try (AioFile t = await(aio, in.open(Path.of("a"), O_TMPFILE | O_RDWR, 0600))) {
                await(aio, in.write(t, 0L, ByteBuffer.wrap("tmp".getBytes(StandardCharsets.UTF_8))));
                assertThat(await(aio, in.stat(t)).nlink()).isZero();
            }
            await(aio, in.rename2(Path.of("a/f"), Path.of("a/g"), RENAME_EXCHANGE));
            assertThat(Files.readString(jail.resolve("a/f"))).isEqualTo("gee");
            assertThat(Files.readString(jail.resolve("a/g"))).isEqualTo("inside");
            await(aio, in.mknod(Path.of("a/fifo"), S_IFIFO | 0600, 0));
            assertThat(await(aio, in.lstat(Path.of("a/fifo"))).isFifo()).isTrue();
            FileStat st = await(aio, in.statx(Path.of("a/g"), 0, STATX_BASIC_STATS | STATX_BTIME));
            assertThat(st.size()).isEqualTo(6);
            if ((st.mask() & STATX_BTIME) != 0) {
                assertThat(st.birthTime()).isPresent();
            }
            Files.createSymbolicLink(jail.resolve("a/out"), tmp.resolve("outside/f"));
            assertThat(name(errno(aio, in.statx(Path.of("a/out"), 0, STATX_BASIC_STATS)))).isEqualTo("EXDEV");
            assertThat(await(aio, in.statx(Path.of("a/out"), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS)).isSymbolicLink()).isTrue();
            assertThat(name(errno(aio, in.open(Path.of("a/out"), O_WRONLY | O_CREAT, 0644)))).isEqualTo("EXDEV");
        }
        assertThat(snapshot(tmp, Path.of("jail"))).isEqualTo(before);
    }

    // The portable walk refuses what only the native layer does: O_PATH opens, RENAME_EXCHANGE, a FIFO from mknod.
    @Test
    void thePortableWalkRefusesWhatOnlyTheNativeLayerDoes() throws Exception {
        Files.writeString(jail.resolve("a/g"), "gee");
        try (AioEngine aio = WdTesting.NIO.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            assertThat(name(errno(aio, in.open(Path.of("a/f"), O_PATH, 0)))).isEqualTo("ENOSYS");
            assertThat(name(errno(aio, in.rename2(Path.of("a/f"), Path.of("a/g"), RENAME_EXCHANGE)))).isEqualTo("ENOSYS");
            assertThat(name(errno(aio, in.mknod(Path.of("a/fifo2"), S_IFIFO | 0600, 0)))).isEqualTo("ENOSYS");
        }
    }

    // stat and statx of one name in the jail's directory take one fstatat/statx on the jail's descriptor, no openat2,
    // unless the name is a symlink: then it is followed beneath (a link inside answers its target, one out EXDEV).
    @Test
    void oneNameIsStattedWithoutOpenat2UnlessItIsASymlink() throws Exception {
        Files.createSymbolicLink(jail.resolve("in"), Path.of("a/f"));
        Files.createSymbolicLink(jail.resolve("out"), tmp.resolve("outside/f"));
        try (AioEngine aio = WdTesting.NATIVE.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            await(aio, in.stat("victim")); // opens the jail's descriptor
            long before = openat2Calls();
            assertThat(await(aio, in.stat("victim")).size()).isEqualTo(6);
            assertThat(await(aio, in.statx("victim", 0, STATX_BASIC_STATS)).size()).isEqualTo(6);
            assertThat(await(aio, in.stat("a")).isDirectory()).isTrue();
            assertThat(openat2Calls()).as("openat2 calls for names that are no symlinks").isEqualTo(before);
            assertThat(await(aio, in.stat("in")).size()).isEqualTo(6);
            assertThat(await(aio, in.statx("in", 0, STATX_BASIC_STATS)).isRegularFile()).isTrue();
            assertThat(name(errno(aio, in.stat("out")))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.statx("out", 0, STATX_BASIC_STATS)))).isEqualTo("EXDEV");
            assertThat(openat2Calls()).as("a symlink is followed by openat2").isEqualTo(before + 4);
            assertThat(name(errno(aio, in.stat("victim/")))).isEqualTo("ENOTDIR");
            assertThat(name(errno(aio, in.stat("..")))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.stat("missing")))).isEqualTo("ENOENT");
        }
    }

    // The jail's descriptor is opened when the first request runs, by the path the jail has then: a jail renamed before
    // that is still found, and a directory put at its old path is not used.
    @Test
    void aJailRenamedBeforeItsFirstRequestIsStillTheOneResolved() throws Exception {
        try (AioEngine aio = WdTesting.NATIVE.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            Path moved = Files.move(jail, tmp.resolve("moved"));
            Path decoy = Files.createDirectories(tmp.resolve("jail/a"));
            Files.writeString(decoy.resolve("f"), "decoy");
            AioEngine in = aio.in(j);
            assertThat(new String(await(aio, in.load(Path.of("a/f"))), StandardCharsets.UTF_8)).isEqualTo("inside");
            assertThat(await(aio, in.realpath(Path.of("a/f")))).isEqualTo(moved.toRealPath().resolve("a/f"));
            try (AioWorkingDirectory a = await(aio, in.wd(Path.of("a")))) {
                assertThat(a.isJail()).isTrue();
                assertThat(a.path()).isEqualTo(moved.toRealPath().resolve("a"));
            }
        }
    }

    // Many views of one jail share one descriptor of it, attached to the working directory (no descriptor per view).
    @Test
    void viewsShareTheJailsDescriptor() throws Exception {
        try (AioEngine aio = WdTesting.NATIVE.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            List<AioFuture<FileStat>> stats = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                stats.add(aio.in(j).stat(Path.of("a/f")));
            }
            for (AioFuture<FileStat> f : stats) {
                assertThat(await(aio, f).size()).isEqualTo(6);
            }
            try (DirectoryHandle h = DirectoryHandle.open(jail, true)) {
                new WorkingDirectorySyscalls(Platform.nativeLayer().syscalls(), h).stat(Path.of("a/f"));
                Object first = h.attachment(AutoCloseable.class, () -> {
                    throw new SyscallException(Errno.EIO);
                });
                new WorkingDirectorySyscalls(Platform.nativeLayer().syscalls(), h).stat(Path.of("a/f"));
                assertThat(h.attachment(AutoCloseable.class, () -> {
                    throw new SyscallException(Errno.EIO);
                })).isSameAs(first);
            }
        }
        assertThat(Files.exists(jail.resolve("a/f"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
