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

package org.ioaio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AioTemplate without a jail: futures of every kind of request, groups, priority and deadline views. */
class AioTemplateTests {

    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private AioEngine engine;
    private AioPoller poller;
    private AioTemplate aio;

    @BeforeEach
    void setUp() {
        engine = AioEngine.builder().minParallel(2).build();
        poller = new AioPoller(engine, "template-test-poller", Duration.ofSeconds(5));
        poller.start();
        aio = new AioTemplate(engine);
    }

    @AfterEach
    void tearDown() {
        poller.stop();
        assertThat(engine.close(Duration.ofSeconds(5))).isTrue();
        assertThat(engine.nreqs()).isZero();
    }

    /** statx and fadvise through the template: statx reports the file (and the symlink itself with AT_SYMLINK_NOFOLLOW); fadvise succeeds natively, fails with ENOSYS portably. */
    @Test
    void statxAndFadviseAreFutures() throws Exception {
        Path p = java.nio.file.Files.writeString(dir.resolve("f"), "12345");
        java.nio.file.Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
        int mask = AioConstants.STATX_BASIC_STATS | AioConstants.STATX_BTIME;
        assertThat(aio.statx(p.toString(), 0, mask).get(WAIT, TimeUnit.SECONDS).size()).isEqualTo(5);
        assertThat(aio.statx(dir.resolve("l"), AioConstants.AT_SYMLINK_NOFOLLOW, mask).get(WAIT, TimeUnit.SECONDS).isSymbolicLink()).isTrue();
        AioFile f = aio.open(p.toString(), AioConstants.O_RDONLY, 0).get(WAIT, TimeUnit.SECONDS);
        try {
            assertThat(aio.statx(f, 0, mask).get(WAIT, TimeUnit.SECONDS).ino()).isEqualTo(aio.stat(p).get(WAIT, TimeUnit.SECONDS).ino());
            CompletableFuture<Void> advised = aio.fadvise(f, 0, 0, AioConstants.POSIX_FADV_WILLNEED);
            if (engine.backend() == org.ioaio.AioBackend.NATIVE) {
                assertThat(advised.get(WAIT, TimeUnit.SECONDS)).isNull();
            } else {
                assertThatThrownBy(() -> advised.get(WAIT, TimeUnit.SECONDS)).hasCauseInstanceOf(AioException.class)
                        .satisfies(e -> assertThat(((AioException) e.getCause()).error()).isEqualTo(Errno.ENOSYS));
            }
            assertThatThrownBy(() -> aio.fadvise(f, 0, 0, 42)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advice");
        } finally {
            aio.close(f).get(WAIT, TimeUnit.SECONDS);
        }
    }

    /** A file written, read back, stat'ed, renamed and removed through the template's futures. */
    @Test
    void fileRequestsRoundTrip() throws Exception {
        String name = dir.resolve("a.txt").toString();
        AioFile f = aio.open(name, AioConstants.O_RDWR | AioConstants.O_CREAT | AioConstants.O_TRUNC, 0644).get(WAIT, TimeUnit.SECONDS);
        try {
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            assertThat(aio.write(f, 0L, ByteBuffer.wrap(data)).get(WAIT, TimeUnit.SECONDS)).isEqualTo(5);
            ByteBuffer back = ByteBuffer.allocate(16);
            assertThat(aio.read(f, 0L, back).get(WAIT, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(new String(back.array(), 0, 5, StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(aio.stat(f).get(WAIT, TimeUnit.SECONDS).size()).isEqualTo(5);
        } finally {
            aio.close(f).get(WAIT, TimeUnit.SECONDS);
        }
        FileStat st = aio.stat(Path.of(name)).get(WAIT, TimeUnit.SECONDS);
        assertThat(st.isRegularFile()).isTrue();
        aio.mkdir(dir.resolve("d").toString(), 0755).get(WAIT, TimeUnit.SECONDS);
        aio.rename(name, dir.resolve("d/b.txt").toString()).get(WAIT, TimeUnit.SECONDS);
        aio.symlink("b.txt", dir.resolve("d/link").toString()).get(WAIT, TimeUnit.SECONDS);
        assertThat(aio.readlink(dir.resolve("d/link").toString()).get(WAIT, TimeUnit.SECONDS)).isEqualTo("b.txt");
        assertThat(aio.realpath(dir.resolve("d/link").toString()).get(WAIT, TimeUnit.SECONDS))
                .isEqualTo(dir.toRealPath().resolve("d/b.txt"));
        assertThat(aio.load(dir.resolve("d/link").toString()).get(WAIT, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
                .isEqualTo("hello");
        aio.unlink(dir.resolve("d/link").toString()).get(WAIT, TimeUnit.SECONDS);
        aio.unlink(dir.resolve("d/b.txt")).get(WAIT, TimeUnit.SECONDS);
        aio.rmdir(dir.resolve("d").toString()).get(WAIT, TimeUnit.SECONDS);
        assertThat(dir.resolve("d")).doesNotExist();
    }

    /** Directory requests: readdir, scandir, copy, move, copyTree and rmtree through the template. */
    @Test
    void directoryAndTreeRequests() throws Exception {
        Path tree = dir.resolve("tree");
        aio.mkdir(tree.toString(), 0755).get(WAIT, TimeUnit.SECONDS);
        aio.mkdir(tree.resolve("sub").toString(), 0755).get(WAIT, TimeUnit.SECONDS);
        java.nio.file.Files.writeString(tree.resolve("f"), "data");
        assertThat(aio.readdir(tree.toString()).get(WAIT, TimeUnit.SECONDS)).extracting(Path::toString).containsExactlyInAnyOrder("sub", "f");
        var scan = aio.scandir(tree, 0).get(WAIT, TimeUnit.SECONDS);
        assertThat(scan.dirs()).extracting(Path::toString).containsExactly("sub");
        assertThat(scan.nondirs()).extracting(Path::toString).containsExactly("f");
        assertThat(aio.readdirx(tree, AioConstants.READDIR_DENTS).get(WAIT, TimeUnit.SECONDS).entries()).hasSize(2);
        aio.copy(tree.resolve("f").toString(), tree.resolve("g").toString()).get(WAIT, TimeUnit.SECONDS);
        aio.move(tree.resolve("g"), tree.resolve("h")).get(WAIT, TimeUnit.SECONDS);
        aio.copyTree(tree.toString(), dir.resolve("tree2").toString()).get(WAIT, TimeUnit.SECONDS);
        assertThat(java.nio.file.Files.readString(dir.resolve("tree2/h"))).isEqualTo("data");
        aio.rmtree(tree).get(WAIT, TimeUnit.SECONDS);
        aio.rmtree(dir.resolve("tree2").toString()).get(WAIT, TimeUnit.SECONDS);
        assertThat(tree).doesNotExist();
    }

    /** A failing request fails its future with the AioException of its errno, operation and path. */
    @Test
    void failuresCarryErrnoOperationAndPath() {
        String missing = dir.resolve("missing").toString();
        assertThatThrownBy(() -> aio.stat(missing).get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AioException.class)
                .satisfies(e -> {
                    AioException a = (AioException) e;
                    assertThat(a.error()).isEqualTo(Errno.ENOENT);
                    assertThat(a.operation()).isEqualTo("stat");
                    assertThat(a.path()).isEqualTo(missing);
                });
    }

    /** Without a jail a NUL character fails with ENOENT (as the engine and Perl report it), nothing queued. */
    @Test
    void nulWithoutAJailFailsWithEnoent() {
        CompletableFuture<FileStat> f = aio.stat("a\0b");
        assertThatThrownBy(() -> f.get(WAIT, TimeUnit.SECONDS)).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.ENOENT));
    }

    /** A bad argument throws at the call, as the engine's do. */
    @Test
    void badArgumentsThrowAtTheCall() {
        assertThatThrownBy(() -> aio.stat((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aio.busy(-1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aio.withDeadline(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    /** A group's future completes with the group's result once every member is done. */
    @Test
    void groupCompletesWithItsResult() throws Exception {
        CompletableFuture<Object> g = aio.groupFuture(grp -> {
            grp.add(engine.nop(r -> { }), engine.nop(r -> { }));
            grp.result("all done");
        });
        assertThat(g.get(WAIT, TimeUnit.SECONDS)).isEqualTo("all done");
    }

    /** A group's future fails with the errno the group set. */
    @Test
    void groupFailsWithItsErrno() {
        CompletableFuture<Object> g = aio.groupFuture(grp -> {
            grp.add(engine.nop(r -> { }));
            grp.errno(Errno.EIO.code());
        });
        assertThatThrownBy(() -> g.get(WAIT, TimeUnit.SECONDS)).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.EIO));
    }

    /** Cancelling a group's future cancels the group and its queued members. */
    @Test
    void cancellingAGroupFutureCancelsItsMembers() {
        engine.maxParallel(0);
        CompletableFuture<Object> g = aio.groupFuture(grp -> grp.add(engine.nop(r -> { }), engine.nop(r -> { })));
        g.cancel(false);
        assertThat(g).isCancelled();
        engine.maxParallel(2);
        engine.minParallel(2);
        await().atMost(Duration.ofSeconds(WAIT)).until(() -> engine.nreqs() == 0);
        assertThat(engine.cancellations()).isGreaterThanOrEqualTo(2);
    }

    /** Cancelling a future cancels its queued request. */
    @Test
    void cancellingAFutureCancelsTheRequest() {
        engine.maxParallel(0);
        CompletableFuture<Void> f = aio.nop();
        f.cancel(false);
        engine.maxParallel(2);
        engine.minParallel(2);
        await().atMost(Duration.ofSeconds(WAIT)).until(() -> engine.nreqs() == 0);
        assertThat(engine.cancellations()).isEqualTo(1);
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
    }

    /** withPriority queues at that priority; the view leaves the template itself unchanged. */
    @Test
    void withPriorityQueuesAtThatPriority() throws Exception {
        engine.maxParallel(0);
        CompletableFuture<Void> high = aio.withPriority(4).nop();
        CompletableFuture<Void> normal = aio.nop();
        CompletableFuture<Void> low = aio.withPriority(-9).nop();
        int[] byPri = engine.nreadyByPriority();
        assertThat(byPri[8]).isEqualTo(1);
        assertThat(byPri[4]).isEqualTo(1);
        assertThat(byPri[0]).isEqualTo(1);
        engine.maxParallel(2);
        engine.minParallel(2);
        CompletableFuture.allOf(high, normal, low).get(WAIT, TimeUnit.SECONDS);
    }

    /** withTimeout fails a request still queued after the deadline with a TimeoutException. */
    @Test
    void withTimeoutFailsRequestsQueuedTooLong() {
        engine.maxParallel(0);
        CompletableFuture<Void> f = aio.withDeadline(Duration.ofMillis(1)).nop();
        assertThatThrownBy(() -> f.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        engine.maxParallel(2);
    }

    /** custom runs the task on a worker and keeps the errno of an AioException it throws. */
    @Test
    void customKeepsTheErrnoOfItsTask() throws Exception {
        assertThat(aio.custom(() -> Thread.currentThread().getName()).get(WAIT, TimeUnit.SECONDS)).startsWith("aio");
        CompletableFuture<Object> f = aio.custom(() -> {
            throw new AioException(Errno.EACCES.code(), "custom", "x");
        });
        assertThatThrownBy(() -> f.get(WAIT, TimeUnit.SECONDS)).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.EACCES));
    }
}
