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

package org.ioaio.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.Errno;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AioFaults reach the requests of an engine's views, {@code engine.jail(dir)} and {@code engine.wd(dir)}, on both backends. */
class AioFaultsViewsTest {

    @TempDir
    Path root;

    static Stream<Arguments> views() {
        return Stream.of(AioBackend.NIO, AioBackend.NATIVE).flatMap(b -> Stream.of(Arguments.of(b, true), Arguments.of(b, false)));
    }

    /** An engine on {@code backend} with {@code faults}; skipped, with the engine's reason, where the native backend is not available. */
    private static AioEngine engine(AioFaults faults, AioBackend backend) {
        try {
            return faults.backend(backend).newEngine();
        } catch (IllegalStateException e) {
            assumeTrue(false, "native backend not available: " + e.getMessage());
            throw e;
        }
    }

    private static <T> T await(AioEngine engine, CompletableFuture<T> future) {
        engine.flush();
        return future.join();
    }

    private static int errnoOf(AioEngine engine, CompletableFuture<?> future) {
        engine.flush();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(future::join);
        assertThat(t).isInstanceOf(CompletionException.class).cause().isInstanceOf(AioException.class);
        return ((AioException) t.getCause()).errno();
    }

    // Inside engine.jail(dir) / engine.wd(dir): open of "data/a.bin" fails with EIO, its sibling opens; a pwrite on a file opened
    // there as "data/b.bin" fails with ENOSPC, each call counted once.
    @ParameterizedTest(name = "{0}, jail: {1}")
    @MethodSource("views")
    void faultsReachTheCallsOfAView(AioBackend backend, boolean jail) throws Exception {
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/a.bin"), "a");
        Files.writeString(root.resolve("data/b.bin"), "b");
        AioFaults faults = AioFaults.create();
        try (AioEngine engine = engine(faults, backend)) {
            assertThat(engine.backend()).isEqualTo(backend);
            AioWorkingDirectory wd = await(engine, jail ? engine.jail(root) : engine.wd(root));
            try (wd) {
                AioEngine view = engine.in(wd);
                faults.forPaths("data/a.bin").failAlways("open", Errno.EIO);
                faults.forPaths("data/b.bin").failNth("pwrite", 1, Errno.ENOSPC);
                assertThat(errnoOf(view, view.open(Path.of("data/a.bin"), AioConstants.O_RDONLY, 0))).isEqualTo(Errno.EIO.code());
                AioFile b = await(view, view.open(Path.of("data/b.bin"), AioConstants.O_WRONLY, 0));
                assertThat(errnoOf(view, view.write(b, 0L, ByteBuffer.wrap(new byte[] {'x'})))).isEqualTo(Errno.ENOSPC.code());
                assertThat(await(view, view.write(b, 0L, ByteBuffer.wrap(new byte[] {'y'})))).isEqualTo(1);
                await(view, view.close(b));
                assertThat(faults.calls("open")).isEqualTo(2);
                assertThat(faults.calls("pwrite")).isEqualTo(2);
            }
        }
        assertThat(Files.readString(root.resolve("data/b.bin"))).isEqualTo("y");
    }

    // Without a rule nothing fails in the view: the file is created and read back.
    @ParameterizedTest(name = "{0}, jail: {1}")
    @MethodSource("views")
    void withoutRulesAViewWorks(AioBackend backend, boolean jail) throws Exception {
        AioFaults faults = AioFaults.create();
        try (AioEngine engine = engine(faults, backend)) {
            AioWorkingDirectory wd = await(engine, jail ? engine.jail(root) : engine.wd(root));
            try (wd) {
                AioEngine view = engine.in(wd);
                await(view, view.mkdir(Path.of("d"), 0755));
                AioFile f = await(view, view.open(Path.of("d/f"), AioConstants.O_CREAT | AioConstants.O_WRONLY, 0644));
                await(view, view.write(f, 0L, ByteBuffer.wrap(new byte[] {'z'})));
                await(view, view.close(f));
                assertThat(await(view, view.stat(Path.of("d/f"))).size()).isEqualTo(1);
                assertThat(faults.injected()).isEmpty();
            }
        }
        assertThat(Files.readString(root.resolve("d/f"))).isEqualTo("z");
    }
}
