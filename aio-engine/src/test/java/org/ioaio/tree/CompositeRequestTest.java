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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.tree.TreeTesting.await;
import static org.ioaio.tree.TreeTesting.cancelled;
import static org.ioaio.tree.TreeTesting.randomFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFuture;
import org.ioaio.AioGroup;
import org.ioaio.AioRequest;
import org.ioaio.DirScan;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.internal.sys.SyscallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Composite requests are requests: priority, nreqs, groups, cancel and close apply to them as to any request. */
@ExtendWith(EngineInvariants.class)
class CompositeRequestTest {

    @TempDir
    Path tmp;

    private Path smallTree() throws IOException {
        Path t = tmp.resolve("t");
        Files.createDirectories(t.resolve("a/b"));
        Files.createDirectories(t.resolve("c"));
        for (String f : List.of("f1", "f2", "a/f3", "a/b/f4", "c/f5")) {
            Files.writeString(t.resolve(f), f);
        }
        return t;
    }

    /** The priorities (-4..4) that have READY requests. */
    private static List<Integer> readyPriorities(AioEngine aio) {
        List<Integer> p = new ArrayList<>();
        int[] n = aio.nreadyByPriority();
        for (int i = 0; i < n.length; i++) {
            if (n[i] > 0) {
                p.add(i - 4);
            }
        }
        return p;
    }

    // "aioreq_pri $pri" before each sub-request, as AIO.pm does: every step of a composite is queued at the priority the composite was created with.
    @Test
    void everyStepRunsAtTheCompositesPriority() throws IOException {
        Path t = smallTree();
        Path src = randomFile(tmp.resolve("src"), 1000, 1);
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            aio.pri(3);
            AioRequest rm = aio.rmtree(t.resolve("a"), r -> {});
            assertThat(rm.priority()).isEqualTo(3);
            assertThat(aio.pri()).as("reset after the request, as aioreq_pri is").isZero();
            aio.pri(-2);
            AioFuture<Void> cp = aio.copy(src, tmp.resolve("dst"));
            aio.pri(1);
            AioFuture<DirScan> sd = aio.scandir(t, 0);
            List<List<Integer>> seen = new ArrayList<>();
            int rounds = TreeTesting.rounds(aio, round -> {
                seen.add(readyPriorities(aio));
                aio.pri(-4); // the polling thread's own setting for its next request...
                return true;
            });
            assertThat(aio.pri()).as("...is not consumed by the steps the callbacks queued").isEqualTo(-4);
            aio.pri(0);
            assertThat(rounds).isGreaterThan(3);
            assertThat(seen).allSatisfy(p -> assertThat(p).isSubsetOf(3, -2, 1));
            assertThat(seen.get(0)).containsExactly(-2, 1, 3);
            await(aio, cp);
            assertThat(await(aio, sd).dirs()).contains(Path.of("c"));
        }
    }

    // A composite counts in nreqs until its last step is done.
    @Test
    void aCompositeCountsInNreqs() throws IOException {
        Path t = smallTree();
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            AioFuture<Void> f = aio.rmtree(t);
            assertThat(aio.nreqs()).as("rmtree's group, its scandir's group, and that one's first step").isEqualTo(3);
            TreeTesting.rounds(aio, round -> {
                assertThat(aio.nreqs()).isPositive();
                return true;
            });
            await(aio, f);
        }
        assertThat(t).doesNotExist();
    }

    // "They can also be added to other IO::AIO::GRP objects": a group holding composites finishes after them, with their results delivered first.
    @Test
    void compositesJoinGroups() throws IOException {
        Path t = smallTree();
        Path src = randomFile(tmp.resolve("src"), 5000, 2);
        List<String> order = new ArrayList<>();
        try (AioEngine aio = TreeTesting.engine()) {
            AioGroup g = aio.group(grp -> {
                grp.add(aio.copy(src, tmp.resolve("dst"), r -> order.add("copy " + r.errno())));
                grp.add(aio.scandir(t, 0, r -> order.add("scandir " + r.value().dirs().size())));
                grp.add(aio.readdirx(t, AioConstants.READDIR_DENTS, r -> order.add("readdirx " + r.value().entries().size())));
            }, r -> order.add("group"));
            aio.flush();
            assertThat(g.state()).isEqualTo(AioRequest.State.DONE);
            assertThat(aio.nreqs()).isZero();
        }
        assertThat(order).hasSize(4).endsWith("group").contains("copy 0", "scandir 2", "readdirx 4");
    }

    // "Canceling will cancel not only the request itself, but also all requests it contains": the group holding a composite, cancelled, cancels it; no callback runs.
    @Test
    void cancellingAGroupCancelsItsComposites() throws IOException {
        Path src = randomFile(tmp.resolve("src"), 5000, 3);
        AtomicInteger callbacks = new AtomicInteger();
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            AioGroup g = aio.group(grp -> grp.add(aio.copy(src, tmp.resolve("dst"), r -> callbacks.incrementAndGet())),
                    r -> callbacks.incrementAndGet());
            TreeTesting.rounds(aio, round -> round < 2);
            g.cancel();
            aio.maxParallel(2);
            aio.flush();
            assertThat(aio.nreqs()).isZero();
        }
        assertThat(callbacks).hasValue(0);
        assertThat(tmp.resolve("dst")).doesNotExist();
    }

    // A composite cancelled before any step ran: no step executes, the future is cancelled.
    @Test
    void cancelledBeforeItStarts() throws IOException {
        Path t = smallTree();
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            AioFuture<Void> f = aio.rmtree(t);
            f.cancel(false);
            aio.maxParallel(2);
            cancelled(aio, f);
        }
        assertThat(t.resolve("a/b/f4")).exists();
    }

    // Closing the engine while a copy waits between steps cancels it, and the copy still removes its partial destination and closes its files.
    @Test
    void closeCleansUpAPendingCopy() throws IOException {
        Path src = randomFile(tmp.resolve("src"), 100_000, 4);
        Path dst = tmp.resolve("dst");
        AioFuture<Void> f;
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            f = aio.copy(src, dst);
            TreeTesting.rounds(aio, round -> round < 2); // both files open
            assertThat(dst).exists();
            aio.close(Duration.ofMillis(50));
        }
        assertThat(f).as("cancelled by close: the copy could not complete").isCompletedExceptionally();
        assertThat(dst).doesNotExist();
    }

    // After close, every directory and tree request fails at once with IllegalStateException; bad arguments fail with IllegalArgumentException and queue nothing.
    @Test
    void closedEngineAndBadArguments() {
        AioEngine aio = TreeTesting.engine();
        assertThatThrownBy(() -> aio.readdirx(tmp, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aio.scandir((Path) null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aio.scandir("bad\0name", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aio.copy(tmp, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aio.rmtree(tmp, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(aio.nreqs()).isZero();
        aio.close();
        assertThatThrownBy(() -> aio.rmtree(tmp)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aio.copy(tmp, tmp, r -> {})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aio.readdir(tmp)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aio.scandir(tmp, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aio.move(tmp, tmp)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aio.copyTree(tmp, tmp)).isInstanceOf(IllegalStateException.class);
    }

    // Each composite reports its own operation name.
    @Test
    void operationNames() throws IOException {
        Path t = smallTree();
        try (AioEngine aio = TreeTesting.engine()) {
            assertThat(aio.scandir(t, 0).request().operation()).isEqualTo("scandir");
            assertThat(aio.copy(t.resolve("f1"), tmp.resolve("c")).request().operation()).isEqualTo("copy");
            assertThat(aio.move(tmp.resolve("c"), tmp.resolve("m")).request().operation()).isEqualTo("move");
            assertThat(aio.copyTree(t.resolve("c"), tmp.resolve("ct")).request().operation()).isEqualTo("copytree");
            aio.flush();
            assertThat(aio.rmtree(tmp.resolve("ct")).request().operation()).isEqualTo("rmtree");
            assertThat(aio.readdir(t).request().operation()).isEqualTo("readdir");
            aio.flush();
        }
    }

    // A thread in flush() runs a composite's steps itself, as it runs plain requests, where syscalls survive interrupts: a scandir completes while the only worker is held up.
    @Test
    void flushingThreadRunsCompositeSteps() throws Exception {
        Path t = smallTree();
        Path held = t.resolve("f1");
        CountDownLatch workerHeld = new CountDownLatch(1);
        CountDownLatch scanned = new CountDownLatch(1);
        List<Thread> scanThreads = new CopyOnWriteArrayList<>();
        RecordingSyscalls sys = new RecordingSyscalls() {
            @Override
            public boolean survivesInterrupts() {
                return true;
            }
        };
        sys.hook = (method, p) -> {
            if (method.equals("lstat") && p.equals(held)) {
                workerHeld.countDown();
                try {
                    if (!scanned.await(30, TimeUnit.SECONDS)) {
                        throw new SyscallException(Errno.ETIMEDOUT); // the scandir never ran elsewhere
                    }
                } catch (InterruptedException e) {
                    throw new SyscallException(Errno.EINTR);
                }
            } else if (p != null && p.startsWith(t)) {
                scanThreads.add(Thread.currentThread());
            }
        };
        AtomicBoolean lstatOk = new AtomicBoolean();
        try (AioEngine aio = TestEngines.builderOn(sys).minParallel(1).maxParallel(1).build()) {
            aio.lstat(held, r -> lstatOk.set(r.ok()));
            assertThat(workerHeld.await(30, TimeUnit.SECONDS)).as("the only worker took the lstat").isTrue();
            AioFuture<DirScan> sd = aio.scandir(t, 0);
            sd.whenComplete((v, e) -> scanned.countDown());
            aio.flush();
            assertThat(sd.join().dirs()).containsExactlyInAnyOrder(Path.of("a"), Path.of("c"));
        }
        assertThat(lstatOk).as("the held lstat finished once the scandir was done").isTrue();
        assertThat(scanThreads).isNotEmpty().allMatch(th -> th == Thread.currentThread());
    }
}
