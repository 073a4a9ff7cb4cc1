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

package org.ioaio.internal.sys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ioaio.EngineInvariants;
import org.ioaio.FileStat;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io_uring layer's own machinery (its results are checked by the parameterised conformance
 * tests): many threads sharing one ring, a waiter that is interrupted, and closing the ring. Each
 * test makes its own ring, by name, so that closing it releases its descriptor and reaper.
 */
@ExtendWith(EngineInvariants.class)
class UringSyscallsTest {

    @TempDir
    Path dir;

    private Syscalls sys;
    private long reapersBefore;

    @BeforeEach
    void ring() throws Exception {
        reapersBefore = reapers();
        Platform.NativeLayer n = Platform.nativeLayer();
        if (!n.available()) {
            System.out.println("SKIPPED: native backend not available: " + n.reason());
        }
        assumeTrue(n.available(), "native backend not available: " + n.reason());
        try {
            sys = (Syscalls) Class.forName("org.ioaio.internal.linux.UringSyscalls").getMethod("create").invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            System.out.println("SKIPPED: io_uring unavailable: " + e.getCause());
            assumeTrue(false, "io_uring unavailable: " + e.getCause());
        }
    }

    @AfterEach
    void closeRing() throws Exception {
        if (sys != null) {
            close();
        }
    }

    private void close() throws Exception {
        sys.getClass().getMethod("close").invoke(sys);
    }

    /** Many threads reading and stat-ing through one ring each get their own results. */
    @Test
    void concurrentSubmissionsEachGetTheirOwnResult() throws Exception {
        int files = 64;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            paths.add(Files.writeString(dir.resolve("f" + i), "content of file " + i));
        }
        int threads = 16;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            new Thread(() -> {
                try {
                    for (int k = 0; k < 500; k++) {
                        int i = (seed * 31 + k) % files;
                        Path p = paths.get(i);
                        FileStat st = sys.stat(p);
                        String want = "content of file " + i;
                        assertThat(st.size()).isEqualTo(want.length());
                        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
                            ByteBuffer b = (k & 1) == 0 ? ByteBuffer.allocate(64) : ByteBuffer.allocateDirect(64);
                            int n = sys.pread(f, b, 0);
                            b.flip();
                            byte[] got = new byte[n];
                            b.get(got);
                            assertThat(new String(got, UTF_8)).isEqualTo(want);
                            assertThat(sys.fstat(f).ino()).isEqualTo(st.ino());
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "uring-test-" + t).start();
        }
        assertThat(done.await(2, TimeUnit.MINUTES)).isTrue();
        assertThat(failure.get()).isNull();
    }

    /** A waiter that is interrupted keeps waiting for its completion (the kernel owns its buffer), then keeps the interrupt. */
    @Test
    void anInterruptedWaiterStillGetsItsCompletion() throws Exception {
        Path fifo = dir.resolve("fifo");
        sys.mknod(fifo, S_IFIFO | 0600, 0);
        try (FileHandle r = sys.open(fifo, O_RDWR, 0); FileHandle w = sys.open(fifo, O_RDWR, 0)) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            CountDownLatch entered = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocate(16);
                entered.countDown();
                try {
                    int n = sys.read(r, b);
                    outcome.set(n + " " + new String(b.array(), 0, n, UTF_8) + " interrupted=" + Thread.currentThread().isInterrupted());
                } catch (SyscallException e) {
                    outcome.set(e);
                }
            });
            reader.start();
            entered.await();
            reader.interrupt();
            // the interrupt must not end the wait: the reader goes back to waiting for its completion
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reader.getState() != Thread.State.WAITING && reader.getState() != Thread.State.TIMED_WAITING
                    && outcome.get() == null && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertThat(outcome.get()).as("still waiting for the FIFO").isNull();
            sys.write(w, ByteBuffer.wrap("data".getBytes(UTF_8)));
            reader.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(outcome.get()).isEqualTo("4 data interrupted=true");
        }
    }

    /** After close, the layer still works (plain syscalls), and the ring's descriptor and thread are gone. */
    @Test
    void afterCloseCallsFallBackToPlainSyscalls() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        close();
        close(); // idempotent
        assertThat(sys.stat(p).size()).isEqualTo(3);
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            ByteBuffer b = ByteBuffer.allocate(3);
            assertThat(sys.pread(f, b, 0)).isEqualTo(3);
            assertThat(sys.fsync(f)).isZero();
        }
        assertThat(reapers()).as("reaper threads after close").isEqualTo(reapersBefore);
    }

    /** Live reaper threads of rings. */
    private static long reapers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("ioaio-uring-")).count();
    }
}
