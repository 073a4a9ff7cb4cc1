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

package org.ioaio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Backend selection (AUTO, NIO, NATIVE) and requests running on the native layer. */
@ExtendWith(EngineInvariants.class)
class NativeBackendTest {

    @TempDir
    Path dir;

    private static boolean nativeAvailable() {
        return Platform.nativeLayer().available();
    }

    private static void requireNative() {
        if (!nativeAvailable()) {
            String why = "native backend not available: " + Platform.nativeLayer().reason();
            System.out.println("SKIPPED: " + why);
            assumeTrue(false, why);
        }
    }

    // AUTO picks the native layer where it is available (Java 22+ on Linux), else the portable one.
    @Test
    void autoPicksNativeWhereAvailable() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AioBackend expected = nativeAvailable() ? AioBackend.NATIVE : AioBackend.NIO;
            assertThat(aio.backend()).isEqualTo(expected);
            if (Platform.javaFeature() >= Platform.NATIVE_MIN_FEATURE && Platform.isLinux()) {
                assertThat(aio.backend()).as(Platform.nativeLayer().reason()).isEqualTo(AioBackend.NATIVE);
            }
        }
    }

    // NIO forces the portable layer everywhere.
    @Test
    void nioForcesThePortableLayer() {
        try (AioEngine aio = AioEngine.builder().backend(AioBackend.NIO).build()) {
            assertThat(aio.backend()).isEqualTo(AioBackend.NIO);
        }
    }

    // NATIVE where unavailable fails at build with the reason ("native backend not available: Java 17 < 22").
    @Test
    void nativeFailsAtBuildWhereUnavailable() {
        if (nativeAvailable()) {
            try (AioEngine aio = AioEngine.builder().backend(AioBackend.NATIVE).build()) {
                assertThat(aio.backend()).isEqualTo(AioBackend.NATIVE);
            }
            return;
        }
        assertThatThrownBy(() -> AioEngine.builder().backend(AioBackend.NATIVE).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("native backend not available: " + Platform.nativeLayer().reason());
        if (Platform.javaFeature() < Platform.NATIVE_MIN_FEATURE) {
            assertThatThrownBy(() -> AioEngine.builder().backend(AioBackend.NATIVE).build())
                    .hasMessageStartingWith("native backend not available: Java " + Platform.javaFeature() + " < 22");
        }
    }

    // stat, open, read, fstat and close run as requests on the native backend, futures and callbacks alike.
    @Test
    void requestsRoundTripOnTheNativeBackend() throws Exception {
        requireNative();
        Path p = Files.writeString(dir.resolve("f"), "hello native");
        try (AioEngine aio = AioEngine.builder().minParallel(2).backend(AioBackend.NATIVE).build()) {
            AioFuture<FileStat> stat = aio.stat(p);
            aio.flush();
            assertThat(stat.get().size()).isEqualTo(12);
            assertThat(stat.get().ino()).isEqualTo(Files.getAttribute(p, "unix:ino"));
            AioFuture<AioFile> open = aio.open(p, O_RDONLY, 0);
            aio.flush();
            AioFile f = open.get();
            ByteBuffer b = ByteBuffer.allocate(64);
            AioFuture<Integer> read = aio.read(f, 6L, b);
            AioFuture<FileStat> fstat = aio.stat(f);
            aio.flush();
            assertThat(read.get()).isEqualTo(6);
            assertThat(new String(b.array(), 0, 6, StandardCharsets.UTF_8)).isEqualTo("native");
            assertThat(fstat.get().ino()).isEqualTo(stat.get().ino());
            int[] closed = {-2};
            aio.close(f, r -> closed[0] = (int) r.status());
            aio.flush();
            assertThat(closed[0]).isZero();
            assertThat(f.isOpen()).isFalse();
            AioFuture<FileStat> missing = aio.stat(dir.resolve("missing"));
            aio.flush();
            assertThatThrownBy(missing::get).hasCauseInstanceOf(AioException.class)
                    .cause().satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.ENOENT.code()));
            assertThat(aio.nreqs()).isZero();
        }
    }

    // What the portable layer refuses works through requests on the native backend: a FIFO from mknod.
    @Test
    void mknodMakesAFifoOnTheNativeBackend() throws Exception {
        requireNative();
        Path fifo = dir.resolve("fifo");
        try (AioEngine aio = AioEngine.builder().backend(AioBackend.NATIVE).build()) {
            AioFuture<Void> made = aio.mknod(fifo, S_IFIFO | 0600, 0);
            aio.flush();
            made.get();
            AioFuture<FileStat> st = aio.lstat(fifo);
            aio.flush();
            assertThat(st.get().isFifo()).isTrue();
        }
    }
}
