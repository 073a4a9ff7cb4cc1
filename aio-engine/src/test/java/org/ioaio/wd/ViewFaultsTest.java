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
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.wd.WdTesting.await;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.SyscallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults put over an engine with {@code Builder.decorate} reach the calls of its views (working
 * directories and jails: walked in Java, or resolved by the kernel), each call seen once, with the
 * path as the request gave it.
 */
class ViewFaultsTest {

    @TempDir
    Path root;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/f"), "ffff");
        Files.writeString(root.resolve("a/g"), "gg");
    }

    /** Every kind of view: each backend and jail resolution, as a jail and as an ordinary working directory. */
    static Stream<Arguments> views() {
        return Stream.of(WdTesting.NIO, WdTesting.NATIVE, WdTesting.NATIVE_WALKED)
                .flatMap(k -> Stream.of(Arguments.of(k, true), Arguments.of(k, false)));
    }

    private static AioEngine engine(WdTesting.Kind kind, FaultInjectingSyscalls faults) {
        if (kind.backend() == AioBackend.NATIVE) {
            Platform.NativeLayer layer = Platform.nativeLayer();
            assumeTrue(layer.available(), "native backend not available: " + layer.reason());
        }
        return TestEngines.withFaults(kind.builder(), faults).minParallel(2).build();
    }

    private AioWorkingDirectory view(boolean jail) throws AioException {
        return jail ? AioWorkingDirectory.jail(root) : AioWorkingDirectory.open(root);
    }

    // A stat rule on "a/f" fails that path in the view (Path and String forms), not "a/g", not the same file by its
    // absolute path on the engine; every call is counted once.
    @ParameterizedTest(name = "{0}, jail: {1}")
    @MethodSource("views")
    void aPathRuleFailsThatPathInTheView(WdTesting.Kind kind, boolean jail) throws Exception {
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls().failAlways("stat", "a/f"::equals, Errno.EIO);
        try (AioEngine aio = engine(kind, faults); AioWorkingDirectory wd = view(jail)) {
            AioEngine in = aio.in(wd);
            assertThat(name(errno(in, in.stat(Path.of("a/f"))))).isEqualTo("EIO");
            assertThat(name(errno(in, in.stat("a/f")))).isEqualTo("EIO");
            assertThat(await(in, in.stat(Path.of("a/g"))).size()).isEqualTo(2);
            assertThat(await(aio, aio.stat(root.resolve("a/f"))).size()).isEqualTo(4);
            assertThat(faults.calls("stat")).as("each request's stat seen once").isEqualTo(4);
            assertThat(faults.injectedCount()).isEqualTo(2);
        }
    }

    // A call on a file opened in the view matches the path the file was opened with: pwrite fails for "a/f" only.
    @ParameterizedTest(name = "{0}, jail: {1}")
    @MethodSource("views")
    void fileCallsMatchThePathTheFileWasOpenedWith(WdTesting.Kind kind, boolean jail) throws Exception {
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls().failAlways("pwrite", "a/f"::equals, Errno.ENOSPC);
        try (AioEngine aio = engine(kind, faults); AioWorkingDirectory wd = view(jail)) {
            AioEngine in = aio.in(wd);
            try (AioFile f = await(in, in.open(Path.of("a/f"), O_RDWR, 0));
                    AioFile g = await(in, in.open(Path.of("a/g"), O_RDWR, 0))) {
                assertThat(name(errno(in, in.write(f, 0L, ByteBuffer.wrap(new byte[] {'x'}))))).isEqualTo("ENOSPC");
                assertThat(await(in, in.write(g, 0L, ByteBuffer.wrap(new byte[] {'y'})))).isEqualTo(1);
            }
        }
        assertThat(Files.readString(root.resolve("a/f"))).isEqualTo("ffff");
        assertThat(Files.readString(root.resolve("a/g"))).isEqualTo("yg");
    }

    // The entries a tree request reaches in the view are its path joined with their names: rmtree("a") cannot unlink
    // "a/f", removes "a/g", and fails with the injected errno.
    @ParameterizedTest(name = "{0}, jail: {1}")
    @MethodSource("views")
    void treeEntriesMatchTheTreePathAndTheirName(WdTesting.Kind kind, boolean jail) throws Exception {
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls().failAlways("unlink", "a/f"::equals, Errno.EACCES);
        try (AioEngine aio = engine(kind, faults); AioWorkingDirectory wd = view(jail)) {
            AioEngine in = aio.in(wd);
            assertThat(name(errno(in, in.rmtree(Path.of("a"))))).isEqualTo("EACCES");
        }
        assertThat(WdTesting.names(root.resolve("a"))).containsExactly("f");
    }

    // A view of a working directory opened through a faulty view (aio_wd [$wd, "a"]) is faulty too, its paths relative to it.
    @ParameterizedTest(name = "{0}, jail: {1}")
    @MethodSource("views")
    void aWorkingDirectoryOpenedInAViewKeepsTheFaults(WdTesting.Kind kind, boolean jail) throws Exception {
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls().failAlways("open", "f"::equals, Errno.EMFILE);
        try (AioEngine aio = engine(kind, faults); AioWorkingDirectory wd = view(jail)) {
            AioEngine in = aio.in(wd);
            try (AioWorkingDirectory sub = await(in, jail ? in.jail(Path.of("a")) : in.wd(Path.of("a")))) {
                AioEngine inSub = aio.in(sub);
                assertThat(name(errno(inSub, inSub.open(Path.of("f"), O_RDWR, 0)))).isEqualTo("EMFILE");
                assertThat(name(errno(inSub, inSub.open(Path.of("g"), O_RDWR, 0)))).isEqualTo("0 (success)");
            }
        }
    }

    // Without faults no fault layer is on the stack of a call, the engine's or a view's; with them it is, once.
    @ParameterizedTest(name = "faults: {0}")
    @ValueSource(booleans = {false, true})
    void theFaultLayerIsOnTheStackOnlyWhenInstalled(boolean installed) throws Exception {
        List<Long> layers = new CopyOnWriteArrayList<>();
        NioSyscalls recording = new NioSyscalls() {
            @Override
            public FileStat stat(Path path) throws SyscallException {
                layers.add(Stream.of(new Throwable().getStackTrace())
                        .filter(e -> e.getClassName().startsWith(FaultInjectingSyscalls.class.getName()) && e.getMethodName().equals("invoke"))
                        .count());
                return super.stat(path);
            }
        };
        AioEngine.Builder b = TestEngines.builderOn(recording);
        if (installed) {
            TestEngines.withFaults(b, new FaultInjectingSyscalls());
        }
        try (AioEngine aio = b.build(); AioWorkingDirectory wd = view(false)) {
            AioEngine in = aio.in(wd);
            await(aio, aio.stat(root.resolve("a/f")));
            await(in, in.stat(root.resolve("a/f"))); // absolute: the working directory passes it down as it is
        }
        assertThat(layers).containsExactly(installed ? 1L : 0L, installed ? 1L : 0L);
    }
}
