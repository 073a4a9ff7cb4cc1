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
import static org.ioaio.tree.TreeTesting.await;
import static org.ioaio.tree.TreeTesting.cancelled;
import static org.ioaio.tree.TreeTesting.failure;
import static org.ioaio.tree.TreeTesting.sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tree copy: what cp -a makes, symlinks copied as links (never followed), nothing left behind on failure or cancel. */
@ExtendWith(EngineInvariants.class)
class CopyTreeTest {

    @TempDir
    Path tmp;

    private static final FileTime OLD = FileTime.from(Instant.parse("2016-06-07T08:09:10.111222333Z"));

    private Path outside;

    private Path tree() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path t = tmp.resolve("src");
        Files.createDirectories(t.resolve("a/b/c"));
        Files.createDirectories(t.resolve("empty"));
        for (String f : List.of("f1", "a/f2", "a/b/f3", "a/b/c/f4", "with space", "new\nline")) {
            TreeTesting.randomFile(t.resolve(f), f.length() * 1000L, f.hashCode());
        }
        Files.setAttribute(t.resolve("a/f2"), "unix:mode", 0750);
        Files.setAttribute(t.resolve("a/b"), "unix:mode", 0711);
        Files.createSymbolicLink(t.resolve("to-outside"), outside);
        Files.createSymbolicLink(t.resolve("a/relative"), Path.of("../f1"));
        Files.createSymbolicLink(t.resolve("dangling"), Path.of("nowhere"));
        TreeTesting.perlMake(t, "d:fffe", "f:fffe2ffd");
        try (Stream<Path> all = Files.walk(t)) {
            for (Path p : all.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, OLD);
                }
            }
        }
        return t;
    }

    /** Relative path (bytes in hex) to a description: type, mode, mtime, content checksum or link target. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String key = p.equals(root) ? "." : TreeTesting.nameHex(p.getParent(), p.getFileName())
                        + "@" + root.relativize(p).getNameCount();
                String d;
                if (Files.isSymbolicLink(p)) {
                    d = "link " + Files.readSymbolicLink(p);
                } else {
                    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                    d = Integer.toOctalString(mode) + " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                            + (Files.isRegularFile(p) ? " " + sha256(p) : "");
                }
                m.put(root.relativize(p) + "|" + key, d);
            }
        }
        return m;
    }

    // Files (content, mode, mtime), directories (mode, mtime), symlinks (as links, same target) and non-UTF-8 names all arrive; nothing outside is touched.
    @Test
    void copiesTheTreeAsItIs() throws IOException {
        Path src = tree();
        Map<String, String> before = describe(src);
        Path dst = tmp.resolve("dst");
        try (AioEngine aio = TreeTesting.engine()) {
            await(aio, aio.copyTree(src, dst));
        }
        assertThat(describe(dst)).isEqualTo(before);
        assertThat(describe(src)).isEqualTo(before);
        assertThat(Files.isSymbolicLink(dst.resolve("to-outside"))).isTrue();
        try (Stream<Path> o = Files.list(outside)) {
            assertThat(o).containsExactly(outside.resolve("keep"));
        }
    }

    // A FIFO the portable backend cannot make (ENOSYS) fails the copy, and the destination made so far is removed.
    @Test
    void failureRemovesThePartialCopy() throws IOException {
        Path src = tree();
        TreeTesting.mkfifo(src.resolve("a/b/fifo"));
        Path dst = tmp.resolve("dst");
        try (AioEngine aio = TreeTesting.engine(AioBackend.NIO)) {
            AioException e = failure(aio, aio.copyTree(src, dst));
            assertThat(e.error()).isEqualTo(Errno.ENOSYS);
            assertThat(e.operation()).isEqualTo("copy");
            assertThat(e.path()).isEqualTo(src.resolve("a/b/fifo").toString());
        }
        assertThat(Files.exists(dst, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    // The top-level source must be a real directory (a symlink to one is ENOTDIR, nothing made); the destination must not exist (EEXIST, untouched).
    @Test
    void topLevelSymlinkAndExistingDestination() throws IOException {
        Path src = tree();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), src);
        Path existing = Files.createDirectory(tmp.resolve("existing"));
        Files.writeString(existing.resolve("mine"), "mine");
        try (AioEngine aio = TreeTesting.engine()) {
            assertThat(failure(aio, aio.copyTree(link, tmp.resolve("d1"))).error()).isEqualTo(Errno.ENOTDIR);
            assertThat(failure(aio, aio.copyTree(src.resolve("f1"), tmp.resolve("d2"))).error()).isEqualTo(Errno.ENOTDIR);
            assertThat(failure(aio, aio.copyTree(src, existing)).error()).isEqualTo(Errno.EEXIST);
        }
        assertThat(tmp.resolve("d1")).doesNotExist();
        assertThat(tmp.resolve("d2")).doesNotExist();
        assertThat(Files.readString(existing.resolve("mine"))).isEqualTo("mine");
        try (Stream<Path> e = Files.list(existing)) {
            assertThat(e).hasSize(1);
        }
    }

    // A cancelled tree copy, at any point, leaves no destination and nreqs returns to 0.
    @Test
    void cancelLeavesNothing() throws IOException {
        Path src = tree();
        for (int k = 1; k < 12; k += 2) {
            Path dst = tmp.resolve("dst" + k);
            try (AioEngine aio = TreeTesting.steppedEngine()) {
                AioFuture<Void> f = aio.copyTree(src, dst);
                int stopAt = k;
                TreeTesting.rounds(aio, round -> round < stopAt);
                f.cancel(false);
                aio.maxParallel(2);
                cancelled(aio, f);
            }
            assertThat(Files.exists(dst, LinkOption.NOFOLLOW_LINKS)).as("cancelled after %d rounds", k).isFalse();
        }
    }

    /** A tree with a directory of {@code n} small files (and a subdirectory of 40), for the batched copies. */
    private Path manyFiles(int n) throws IOException {
        Path t = Files.createDirectories(tmp.resolve("many-src/many/sub"));
        for (int i = 0; i < n; i++) {
            TreeTesting.randomFile(t.getParent().resolve("f" + i), 100 + (i * 37) % 3000, i);
        }
        for (int i = 0; i < 40; i++) {
            TreeTesting.randomFile(t.resolve("g" + i), 10 + i, i);
        }
        return t.getParent().getParent();
    }

    // Many small files of a directory are copied several to a step (fewer "copy" requests than files), and arrive whole.
    @Test
    void manyFilesAreCopiedSeveralToAStep() throws IOException {
        Path src = manyFiles(150);
        Map<String, String> before = describe(src);
        java.util.concurrent.atomic.AtomicInteger copies = new java.util.concurrent.atomic.AtomicInteger();
        org.ioaio.AioListener count = (op, wait, exec, errno) -> {
            if (op.equals("copy")) {
                copies.incrementAndGet();
            }
        };
        try (AioEngine aio = AioEngine.builder().minParallel(2).maxParallel(2).listener(count).build()) {
            await(aio, aio.copyTree(src, tmp.resolve("dst")));
        }
        assertThat(describe(tmp.resolve("dst"))).isEqualTo(before);
        assertThat(copies.get()).as("copy steps for 190 files").isGreaterThan(1).isLessThan(190 / 4);
    }

    // A failure in the middle of a step of many files names that entry, and the copy made so far is removed.
    @Test
    void aFailureInsideAStepNamesItsEntry() throws IOException {
        Path src = manyFiles(150);
        TreeTesting.mkfifo(src.resolve("many/f77-fifo"));
        try (AioEngine aio = AioEngine.builder().minParallel(2).maxParallel(2).backend(AioBackend.NIO).build()) {
            AioException e = failure(aio, aio.copyTree(src, tmp.resolve("dst")));
            assertThat(e.error()).isEqualTo(Errno.ENOSYS);
            assertThat(e.operation()).isEqualTo("copy");
            assertThat(e.path()).isEqualTo(src.resolve("many/f77-fifo").toString());
        }
        assertThat(Files.exists(tmp.resolve("dst"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    // A cancel while a step copies many files stops it before the next file (not at the end of the step), and leaves nothing.
    @Test
    void aCancelStopsAStepBetweenTwoFiles() throws Exception {
        Path src = manyFiles(150);
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger looksAfterCancel = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean cancelledYet = new java.util.concurrent.atomic.AtomicBoolean();
        org.ioaio.internal.sys.Syscalls base = org.ioaio.internal.Platform.select(AioBackend.AUTO).syscalls();
        org.ioaio.internal.sys.Syscalls hooked = (org.ioaio.internal.sys.Syscalls) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.ioaio.internal.sys.Syscalls.class}, (proxy, m, args) -> {
                    // each entry's copy makes its destination once (the source is opened with or without an lstat first)
                    if (m.getName().equals("openAt") && args[1].toString().startsWith("f")
                            && ((Integer) args[2] & org.ioaio.AioConstants.O_CREAT) != 0) {
                        if (cancelledYet.get()) {
                            looksAfterCancel.incrementAndGet();
                        } else if (looks.incrementAndGet() == 5) {
                            reached.countDown();
                            release.await();
                        }
                    }
                    try {
                        return m.invoke(base, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (AioEngine aio = org.ioaio.TestEngines.builderOn(hooked).minParallel(2).maxParallel(2).build()) {
            AioFuture<Void> f = aio.copyTree(src, tmp.resolve("dst"));
            while (!reached.await(1, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                aio.poll();
            }
            cancelledYet.set(true);
            f.cancel(false);
            release.countDown();
            cancelled(aio, f);
        }
        assertThat(looksAfterCancel.get()).as("entries looked at after the cancel (a step has up to 16)").isLessThanOrEqualTo(2);
        assertThat(Files.exists(tmp.resolve("dst"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
