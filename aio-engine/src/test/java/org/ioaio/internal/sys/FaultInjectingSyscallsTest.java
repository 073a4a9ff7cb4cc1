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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.internal.sys.SysTesting.assertErrno;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ioaio.Errno;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test decorator that fails chosen syscalls with a chosen errno. */
class FaultInjectingSyscallsTest {

    @TempDir
    Path dir;

    /** Without rules every call passes through to the wrapped layer. */
    @Test
    void withoutRulesCallsPassThrough() throws Exception {
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        Syscalls sysLayer = sys.wrap(new NioSyscalls());
        Path p = Files.writeString(dir.resolve("f"), "abc");
        assertThat(sysLayer.stat(p).size()).isEqualTo(3);
        assertErrno(Errno.ENOENT, () -> sysLayer.stat(dir.resolve("missing")));
        assertThat(sys.calls("stat")).isEqualTo(2);
        assertThat(sys.injectedCount()).isZero();
        assertThat(FaultInjectingSyscalls.unwrap(sysLayer)).isInstanceOf(NioSyscalls.class);
    }

    /** failNth fails exactly the n-th call of that method with the injected errno (EIO, ENOSPC, EINTR). */
    @Test
    void failNthFailsExactlyThatCall() throws Exception {
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls()
                .failNth("stat", 2, Errno.EIO)
                .failNth("pwrite", 1, Errno.ENOSPC)
                .failNth("pread", 3, Errno.EINTR);
        Syscalls sysLayer = sys.wrap(new NioSyscalls());
        Path p = Files.writeString(dir.resolve("f"), "abc");
        assertThat(sysLayer.stat(p).size()).isEqualTo(3);
        assertErrno(Errno.EIO, () -> sysLayer.stat(p));
        assertThat(sysLayer.stat(p).size()).isEqualTo(3);
        try (FileHandle f = sysLayer.open(p, O_RDWR, 0)) {
            assertErrno(Errno.ENOSPC, () -> sysLayer.pwrite(f, ByteBuffer.wrap(new byte[] {'X'}), 0));
            assertThat(Files.readString(p)).as("the failed write did nothing").isEqualTo("abc");
            assertThat(sysLayer.pwrite(f, ByteBuffer.wrap(new byte[] {'Y'}), 0)).isEqualTo(1);
            sysLayer.pread(f, ByteBuffer.allocate(1), 0);
            sysLayer.pread(f, ByteBuffer.allocate(1), 0);
            assertErrno(Errno.EINTR, () -> sysLayer.pread(f, ByteBuffer.allocate(1), 0));
            assertThat(sysLayer.pread(f, ByteBuffer.allocate(1), 0)).isEqualTo(1);
        }
        assertThat(sys.injections()).containsExactly(
                new FaultInjectingSyscalls.Injection("stat", 2, Errno.EIO.code()),
                new FaultInjectingSyscalls.Injection("pwrite", 1, Errno.ENOSPC.code()),
                new FaultInjectingSyscalls.Injection("pread", 3, Errno.EINTR.code()));
    }

    /** failAlways fails every call of a method until clear(). */
    @Test
    void failAlwaysFailsUntilCleared() throws Exception {
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls().failAlways("mkdir", Errno.ENOSPC);
        Syscalls sysLayer = sys.wrap(new NioSyscalls());
        assertErrno(Errno.ENOSPC, () -> sysLayer.mkdir(dir.resolve("a"), 0755));
        assertErrno(Errno.ENOSPC, () -> sysLayer.mkdir(dir.resolve("a"), 0755));
        assertThat(Files.exists(dir.resolve("a"))).isFalse();
        sys.clear();
        assertThat(sysLayer.mkdir(dir.resolve("a"), 0755)).isZero();
        assertThat(sys.injectedCount()).isEqualTo(2);
    }

    /** An injected open failure opens nothing; an injected close failure still closes the file. */
    @Test
    void injectedFaultsLeakNoFile() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls()
                .failNth("open", 1, Errno.EINTR)
                .failNth("close", 1, Errno.EIO);
        Syscalls sysLayer = sys.wrap(new NioSyscalls());
        assertErrno(Errno.EINTR, () -> sysLayer.open(dir.resolve("created"), O_CREAT | O_RDWR, 0644));
        assertThat(Files.exists(dir.resolve("created"))).isFalse();
        FileHandle f = sysLayer.open(p, O_RDONLY, 0);
        assertErrno(Errno.EIO, () -> sysLayer.close(f));
        assertThat(f.isOpen()).isFalse();
        assertErrno(Errno.EBADF, () -> sysLayer.close(f));
    }

    /** Random failures are reproducible from the seed and use only the given errnos and methods. */
    @Test
    void randomFailuresAreSeededAndUseTheGivenErrnos() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        List<Integer> first = randomOutcomes(p, 42);
        List<Integer> second = randomOutcomes(p, 42);
        assertThat(first).isEqualTo(second);
        assertThat(first).contains(0, Errno.EIO.code(), Errno.EINTR.code());
        assertThat(first).containsOnly(0, Errno.EIO.code(), Errno.EINTR.code());
        FaultInjectingSyscalls onlyLstat = new FaultInjectingSyscalls()
                .failRandomly(1, 1.0, Set.of("lstat"), Errno.ENOSPC);
        Syscalls onlyLstatLayer = onlyLstat.wrap(new NioSyscalls());
        assertThat(onlyLstatLayer.stat(p).size()).isEqualTo(3);
        assertErrno(Errno.ENOSPC, () -> onlyLstatLayer.lstat(p));
    }

    private List<Integer> randomOutcomes(Path p, long seed) {
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls()
                .failRandomly(seed, 0.3, Errno.EIO, Errno.EINTR);
        Syscalls sysLayer = sys.wrap(new NioSyscalls());
        List<Integer> outcomes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            try {
                sysLayer.stat(p);
                outcomes.add(0);
            } catch (SyscallException e) {
                outcomes.add(e.errno());
            }
        }
        assertThat(sys.injectedCount()).isEqualTo((int) outcomes.stream().filter(e -> e != 0).count());
        return outcomes;
    }

    /** Under concurrent calls the counters are exact and each injected failure reaches its caller once. */
    @Test
    void countersAreExactUnderConcurrency() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls()
                .failRandomly(7, 0.25)
                .failNth("stat", 100, Errno.EIO);
        Syscalls sysLayer = sys.wrap(new NioSyscalls());
        int threads = 4;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        java.util.Queue<Integer> errnos = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    try {
                        sysLayer.stat(p);
                    } catch (SyscallException e) {
                        errnos.add(e.errno());
                        failures.incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(sys.calls("stat")).isEqualTo(threads * perThread);
        assertThat(sys.injectedCount()).isEqualTo(failures.get());
        assertThat(errnos).containsOnly(Errno.EIO.code(), Errno.ENOSPC.code(), Errno.EINTR.code());
        assertThat(sys.injections()).anySatisfy(i -> assertThat(i.call()).isEqualTo(100));
    }

    /** Unknown method names, bad n and bad probabilities are rejected when the rule is made. */
    @Test
    void badRulesAreRejected() {
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        assertThatThrownBy(() -> sys.failNth("stta", 1, Errno.EIO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sys.failNth("stat", 0, Errno.EIO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sys.failAlways("path", Errno.EIO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sys.failRandomly(1, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sys.failRandomly(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sys.wrap(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** path(String) is not a syscall: it is never failed and keeps the delegate's checks. */
    @Test
    void pathIsNeverFailed() throws Exception {
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls().failRandomly(3, 1.0);
        Syscalls sysLayer = sys.wrap(new NioSyscalls());
        assertThat(sysLayer.path("/tmp")).isEqualTo(Path.of("/tmp"));
        assertErrno(Errno.ENOENT, () -> sysLayer.path("a\0b"));
        assertThat(sys.injectedCount()).isZero();
    }

    /** A path rule's n-th counts only the calls whose path matches; a random rule with a path fails only those; others pass. */
    @Test
    void pathRulesCountAndFailOnlyMatchingCalls() throws Exception {
        Path a = Files.writeString(dir.resolve("a.log"), "a");
        Path b = Files.writeString(dir.resolve("b.txt"), "b");
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls()
                .failNth("stat", p -> p.endsWith(".log"), 2, Errno.EIO)
                .failRandomly(1, 1.0, Set.of("lstat"), p -> p.endsWith(".log"), Errno.ENOSPC);
        Syscalls sys = faults.wrap(new NioSyscalls());
        assertThat(sys.stat(b).size()).isEqualTo(1);
        assertThat(sys.stat(a).size()).isEqualTo(1);
        assertThat(sys.stat(b).size()).isEqualTo(1);
        assertErrno(Errno.EIO, () -> sys.stat(a));
        assertThat(sys.stat(a).size()).isEqualTo(1);
        assertThat(sys.lstat(b).size()).isEqualTo(1);
        assertErrno(Errno.ENOSPC, () -> sys.lstat(a));
        assertThat(faults.injections()).containsExactly(
                new FaultInjectingSyscalls.Injection("stat", 4, Errno.EIO.code()),
                new FaultInjectingSyscalls.Injection("lstat", 2, Errno.ENOSPC.code()));
    }

    /** A call on an open file matches the path it was opened with, until it is closed. */
    @Test
    void fileCallsMatchTheOpenedPath() throws Exception {
        Path a = Files.writeString(dir.resolve("a.log"), "a");
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls().failAlways("fstat", p -> p.endsWith(".log"), Errno.EIO);
        Syscalls sys = faults.wrap(new NioSyscalls());
        try (FileHandle f = sys.open(a, O_RDONLY, 0); FileHandle g = sys.open(Files.writeString(dir.resolve("g"), "g"), O_RDONLY, 0)) {
            assertErrno(Errno.EIO, () -> sys.fstat(f));
            assertThat(sys.fstat(g).size()).isEqualTo(1);
        }
    }
}
