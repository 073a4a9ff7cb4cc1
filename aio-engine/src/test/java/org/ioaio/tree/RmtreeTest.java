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

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.SyscallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** aio_rmtree: "Delete a directory tree starting (and including) $path", never following a symlink. */
@ExtendWith(EngineInvariants.class)
class RmtreeTest {

    @TempDir
    Path tmp;

    /** Things outside the tree that symlinks inside it point at. */
    private Path outsideFile;
    private Path outsideDir;

    private Path tree() throws IOException {
        outsideFile = Files.writeString(tmp.resolve("outside.txt"), "outside");
        outsideDir = tmp.resolve("outside-dir");
        Files.createDirectories(outsideDir.resolve("inner"));
        Files.writeString(outsideDir.resolve("keep"), "keep");
        Path t = tmp.resolve("t");
        Files.createDirectories(t.resolve("a/b/c"));
        Files.createDirectories(t.resolve("empty"));
        Files.createDirectories(t.resolve("dir with space/x"));
        for (String f : List.of("f1", "a/f2", "a/b/f3", "a/b/c/f4", "new\nline", "dir with space/x/y z")) {
            Files.writeString(t.resolve(f), f);
        }
        Files.createSymbolicLink(t.resolve("to-file"), outsideFile);
        Files.createSymbolicLink(t.resolve("a/to-dir"), outsideDir);
        Files.createSymbolicLink(t.resolve("a/b/to-dir-relative"), Path.of("../../../outside-dir"));
        Files.createSymbolicLink(t.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(t.resolve("loop"), Path.of("loop"));
        TreeTesting.mkfifo(t.resolve("a/fifo"));
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(t.resolve("a/b/sock")));
        }
        TreeTesting.perlMake(t, "d:fffe", "f:fffe2ffd", "l:fffe2ffc:" + TreeTesting.hex(outsideDir.toString()));
        return t;
    }

    private void outsideUntouched() throws IOException {
        assertThat(Files.readString(outsideFile)).isEqualTo("outside");
        assertThat(Files.readString(outsideDir.resolve("keep"))).isEqualTo("keep");
        assertThat(outsideDir.resolve("inner")).isDirectory();
    }

    // The whole tree goes: files, directories, FIFOs, sockets, odd names; symlinks (to files, to directories, dangling, looping) are unlinked, and nothing they point at is touched.
    @Test
    void removesEverythingAndFollowsNoSymlink() throws IOException {
        Path t = tree();
        try (AioEngine aio = TreeTesting.engine()) {
            assertThat(await(aio, aio.rmtree(t))).isNull();
        }
        assertThat(t).doesNotExist();
        outsideUntouched();
    }

    // A top-level path that is a symlink to a directory fails with ENOTDIR and nothing is touched (IO::AIO 4.8 would empty the target first).
    @Test
    void topLevelSymlinkToDirectoryIsRefusedUntouched() throws IOException {
        tree();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), outsideDir);
        try (AioEngine aio = TreeTesting.engine()) {
            AioException e = failure(aio, aio.rmtree(link));
            assertThat(e.error()).isEqualTo(Errno.ENOTDIR);
            assertThat(e.path()).isEqualTo(link.toString());
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        outsideUntouched();
    }

    // What IO::AIO 4.8 itself does with the same symlink: it follows it and empties the directory it points to (documented here, avoided above).
    @Test
    void ioAioFollowsATopLevelSymlink() throws IOException {
        TreeTesting.assumeIoAio();
        Path target = Files.createDirectories(tmp.resolve("target/sub"));
        Files.writeString(target.resolve("file"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target.getParent());
        TreeTesting.Result r = TreeTesting.sh("perl", "-MIO::AIO", "-e",
                "aio_rmtree $ARGV[0], sub { print $_[0], ' ', $! + 0 }; IO::AIO::flush", link.toString());
        assertThat(r.text()).isEqualTo("-1 " + Errno.ENOTDIR.code());
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertThat(left).as("IO::AIO emptied the symlink's target").isEmpty();
        }
    }

    // A file or a missing path at the top: ENOTDIR or ENOENT, naming it.
    @Test
    void fileOrMissingAtTheTop() throws IOException {
        Path f = Files.writeString(tmp.resolve("file"), "x");
        try (AioEngine aio = TreeTesting.engine()) {
            assertThat(failure(aio, aio.rmtree(f)).error()).isEqualTo(Errno.ENOTDIR);
            AioException missing = failure(aio, aio.rmtree(tmp.resolve("missing")));
            assertThat(missing.error()).isEqualTo(Errno.ENOENT);
            assertThat(missing.path()).isEqualTo(tmp.resolve("missing").toString());
        }
        assertThat(f).exists();
    }

    /** The portable layer (under a fault layer) whose {@code unlinkAt} of {@code stuck} fails with EACCES. */
    private static org.ioaio.internal.sys.Syscalls refusingToUnlink(Path stuck) {
        return new FaultInjectingSyscalls().wrap(new NioSyscalls() {
            @Override
            public int unlinkAt(org.ioaio.internal.sys.TreeDir dir, Path name, boolean directory) throws SyscallException {
                if (dir.path().resolve(name).equals(stuck)) {
                    throw new SyscallException(Errno.EACCES);
                }
                return super.unlinkAt(dir, name, directory);
            }
        });
    }

    // An entry that cannot be removed: the first error (errno, operation, path) is the result, and everything else is still removed.
    @Test
    void firstErrorIsReportedAndTheRestRemoved() throws IOException {
        Path t = tree();
        Path stuck = t.resolve("a/b/c/f4");
        org.ioaio.internal.sys.Syscalls faults = refusingToUnlink(stuck);
        try (AioEngine aio = TestEngines.on(faults, 4)) {
            AioException e = failure(aio, aio.rmtree(t));
            assertThat(e.error()).isEqualTo(Errno.EACCES);
            assertThat(e.operation()).isEqualTo("unlink");
            assertThat(e.path()).isEqualTo(stuck.toString());
        }
        try (Stream<Path> left = Files.walk(t)) {
            assertThat(left.map(t::relativize).map(Path::toString))
                    .containsExactlyInAnyOrder("", "a", "a/b", "a/b/c", "a/b/c/f4");
        }
        outsideUntouched();
    }

    // A directory of many files is emptied several names to an unlink step (fewer steps than files); an entry that
    // cannot be removed in the middle of a step is the error, with its path, and every other name is still removed.
    @Test
    void manyFilesAreUnlinkedSeveralToAStepAndAFailureStopsNone() throws IOException {
        Path t = Files.createDirectories(tmp.resolve("many/d"));
        for (int i = 0; i < 150; i++) {
            Files.writeString(t.resolve("f" + i), "x");
        }
        Path stuck = t.resolve("f77");
        org.ioaio.internal.sys.Syscalls faults = refusingToUnlink(stuck);
        java.util.concurrent.atomic.AtomicInteger unlinkSteps = new java.util.concurrent.atomic.AtomicInteger();
        org.ioaio.AioListener count = (op, wait, exec, errno) -> {
            if (op.equals("unlink")) {
                unlinkSteps.incrementAndGet();
            }
        };
        try (AioEngine aio = TestEngines.builderOn(faults).minParallel(2).maxParallel(2).listener(count).build()) {
            AioException e = failure(aio, aio.rmtree(t.getParent()));
            assertThat(e.error()).isEqualTo(Errno.EACCES);
            assertThat(e.operation()).isEqualTo("unlink");
            assertThat(e.path()).isEqualTo(stuck.toString());
        }
        assertThat(unlinkSteps.get()).as("unlink steps for 150 files").isGreaterThan(1).isLessThan(150 / 4);
        try (Stream<Path> left = Files.walk(t.getParent())) {
            assertThat(left.map(t.getParent()::relativize).map(Path::toString)).containsExactlyInAnyOrder("", "d", "d/f77");
        }
    }

    // Parts of the tree removed by someone else meanwhile are not errors: they are gone, as asked.
    @Test
    void entriesRemovedMeanwhileAreNotErrors() throws IOException {
        Path t = tree();
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.hook = (method, p) -> {
            if (method.equals("lstat") && p.equals(t.resolve("a/b"))) {
                TreeTesting.sh("rm", "-rf", p.toString());
            }
            if (method.equals("unlink") && p.equals(t.resolve("f1"))) {
                TreeTesting.sh("rm", "-f", p.toString());
            }
        };
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            await(aio, aio.rmtree(t));
        }
        assertThat(t).doesNotExist();
        outsideUntouched();
    }

    // A subdirectory swapped for a symlink after it was found to be a directory, before it is entered, is unlinked, not entered: nothing outside is touched.
    @Test
    void directorySwappedForASymlinkIsNotEntered() throws IOException {
        Path t = tree();
        Path a = t.resolve("a");
        Path swapped = a.resolve("b");
        // a's link count is trusted (old mtime): b is classified by its search probe ("b/."), then opened O_NOFOLLOW relative to a
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));
        RecordingSyscalls sys = new RecordingSyscalls();
        java.util.concurrent.atomic.AtomicInteger lstats = new java.util.concurrent.atomic.AtomicInteger();
        sys.hook = (method, p) -> {
            if (method.equals("opendir") && p.equals(swapped) && lstats.incrementAndGet() == 1) {
                TreeTesting.sh("mv", swapped.toString(), t.resolve("moved-away").toString());
                try {
                    Files.createSymbolicLink(swapped, outsideDir);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        };
        try (AioEngine aio = TestEngines.on(sys, 1)) {
            await(aio, aio.rmtree(a));
        }
        assertThat(t.resolve("moved-away")).as("the swap happened").isDirectory();
        assertThat(a).doesNotExist();
        outsideUntouched();
    }

    // A cancelled rmtree stops between removals: its future is cancelled, nreqs returns to 0, and what remains is a part of the tree with no half-removed entry.
    @Test
    void cancelStopsBetweenRemovals() throws IOException {
        Path t = tree();
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            AioFuture<Void> f = aio.rmtree(t);
            TreeTesting.rounds(aio, round -> round < 4);
            f.cancel(false);
            aio.maxParallel(2);
            cancelled(aio, f);
        }
        assertThat(t).isDirectory();
        try (Stream<Path> left = Files.walk(t)) {
            assertThat(left.count()).isGreaterThan(1);
        }
        outsideUntouched();
        try (AioEngine aio = TreeTesting.engine()) {
            await(aio, aio.rmtree(t));
        }
        assertThat(t).doesNotExist();
    }
}
