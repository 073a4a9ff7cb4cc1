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
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ioaio.tree.TreeTesting.await;
import static org.ioaio.tree.TreeTesting.cancelled;
import static org.ioaio.tree.TreeTesting.failure;
import static org.ioaio.tree.TreeTesting.randomFile;
import static org.ioaio.tree.TreeTesting.sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** aio_move: "tries to rename(2) the file first; if rename fails with EXDEV, it copies the file with aio_copy and, if that is successful, unlinks the $srcpath". */
@ExtendWith(EngineInvariants.class)
class MoveTest {

    private static final Instant MTIME = Instant.parse("2017-03-04T05:06:07.000000123Z");

    @TempDir
    Path tmp;

    /** A directory on another file system (tmpfs), when there is one. */
    private Path other;

    @BeforeEach
    void otherFileSystem() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && !Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(tmp, "unix:dev"))) {
            other = Files.createTempDirectory(shm, "aio-move");
        }
    }

    @AfterEach
    void removeOther() {
        if (other != null) {
            TreeTesting.sh("rm", "-rf", other.toString());
        }
    }

    private void assumeOtherFileSystem() {
        assumeTrue(other != null, "/dev/shm is missing or on the same file system as " + tmp + ": no EXDEV to test");
    }

    private Path source() throws IOException {
        Path src = randomFile(tmp.resolve("src"), 300_000, 7);
        Files.setAttribute(src, "unix:mode", 0640);
        Files.setLastModifiedTime(src, FileTime.from(MTIME));
        return src;
    }

    // Within a file system it is one rename: no copy.
    @Test
    void sameFileSystemIsARename() throws IOException {
        Path src = source();
        String sum = sha256(src);
        RecordingSyscalls sys = new RecordingSyscalls();
        try (AioEngine aio = TestEngines.on(sys, 2)) {
            await(aio, aio.move(src, tmp.resolve("dst")));
        }
        assertThat(src).doesNotExist();
        assertThat(sha256(tmp.resolve("dst"))).isEqualTo(sum);
        assertThat(sys.count("rename")).isEqualTo(1);
        assertThat(sys.count("sendfile")).isZero();
    }

    // Across file systems (/dev/shm): EXDEV, then copy (content, mode, mtime) and unlink of the source.
    @Test
    void acrossFileSystemsCopiesThenUnlinks() throws IOException {
        assumeOtherFileSystem();
        Path src = source();
        String sum = sha256(src);
        Files.setLastModifiedTime(src, FileTime.from(MTIME));
        Path dst = other.resolve("dst");
        RecordingSyscalls sys = new RecordingSyscalls();
        try (AioEngine aio = TestEngines.on(sys, 2)) {
            await(aio, aio.move(src, dst));
        }
        assertThat(src).doesNotExist();
        assertThat(Files.getLastModifiedTime(dst)).isEqualTo(FileTime.from(MTIME));
        assertThat((Integer) Files.getAttribute(dst, "unix:mode") & 07777).isEqualTo(0640);
        assertThat(sha256(dst)).isEqualTo(sum);
        assertThat(sys.count("sendfile")).isPositive();
    }

    // A failing copy across file systems leaves the source where it was and nothing at the destination.
    @Test
    void failedCopyLeavesTheSourceAndNoDestination() throws IOException {
        assumeOtherFileSystem();
        Path src = source();
        String sum = sha256(src);
        Path dst = other.resolve("dst");
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls().failAlways("sendfile", Errno.ENOSPC);
        try (AioEngine aio = TestEngines.on(faults.wrap(new NioSyscalls()), 2)) {
            AioException e = failure(aio, aio.move(src, dst));
            assertThat(e.error()).isEqualTo(Errno.ENOSPC);
            assertThat(e.operation()).isEqualTo("sendfile");
        }
        assertThat(sha256(src)).isEqualTo(sum);
        assertThat(dst).doesNotExist();
    }

    // If the source cannot be unlinked after the copy, the copy is removed again: the move did not happen, and its errno is the result.
    @Test
    void sourceThatCannotBeUnlinkedUndoesTheCopy() throws IOException {
        assumeOtherFileSystem();
        Path src = source();
        Path dst = other.resolve("dst");
        FaultInjectingSyscalls faults = new FaultInjectingSyscalls().failNth("unlink", 1, Errno.EBUSY);
        try (AioEngine aio = TestEngines.on(faults.wrap(new NioSyscalls()), 2)) {
            AioException e = failure(aio, aio.move(src, dst));
            assertThat(e.error()).isEqualTo(Errno.EBUSY);
            assertThat(e.path()).isEqualTo(src.toString());
        }
        assertThat(src).exists();
        assertThat(dst).doesNotExist();
    }

    // A symlink moved across file systems stays a symlink with the same target (rename moves links, not what they point to).
    @Test
    void symlinkAcrossFileSystemsStaysASymlink() throws IOException {
        assumeOtherFileSystem();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("../some/target"));
        Path dst = other.resolve("link");
        try (AioEngine aio = TreeTesting.engine()) {
            await(aio, aio.move(link, dst));
        }
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readSymbolicLink(dst)).isEqualTo(Path.of("../some/target"));
    }

    // "directories not supported": a directory across file systems fails with EISDIR and stays.
    @Test
    void directoryAcrossFileSystemsIsEisdir() throws IOException {
        assumeOtherFileSystem();
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        try (AioEngine aio = TreeTesting.engine()) {
            assertThat(failure(aio, aio.move(dir, other.resolve("dir"))).error()).isEqualTo(Errno.EISDIR);
        }
        assertThat(dir).isDirectory();
        assertThat(other.resolve("dir")).doesNotExist();
    }

    // Any other rename error is the result, without a copy: a missing source is ENOENT from rename.
    @Test
    void otherRenameErrorsAreTheResult() {
        try (AioEngine aio = TreeTesting.engine()) {
            AioException e = failure(aio, aio.move(tmp.resolve("missing"), tmp.resolve("dst")));
            assertThat(e.error()).isEqualTo(Errno.ENOENT);
            assertThat(e.operation()).isEqualTo("rename");
        }
    }

    // A move cancelled between any two steps of its fallback leaves the source and no destination.
    @Test
    void cancelledFallbackLeavesTheSource() throws IOException {
        assumeOtherFileSystem();
        Path src = source();
        String sum = sha256(src);
        int steps;
        try (AioEngine aio = TreeTesting.steppedEngine()) {
            AioFuture<Void> f = aio.move(src, other.resolve("probe"));
            steps = TreeTesting.rounds(aio, round -> true);
            await(aio, f);
        }
        Files.move(other.resolve("probe"), src); // same content back (a rename across is a copy too)
        assertThat(steps).as("rename, lstat, copy's 5, unlink").isEqualTo(8);
        for (int k = 1; k < steps; k++) {
            Path dst = other.resolve("dst" + k);
            try (AioEngine aio = TreeTesting.steppedEngine()) {
                AioFuture<Void> f = aio.move(src, dst);
                int stopAt = k;
                TreeTesting.rounds(aio, round -> round < stopAt);
                f.cancel(false);
                aio.maxParallel(2);
                cancelled(aio, f);
            }
            assertThat(dst).as("after %d steps", k).doesNotExist();
            assertThat(sha256(src)).isEqualTo(sum);
        }
    }
}
