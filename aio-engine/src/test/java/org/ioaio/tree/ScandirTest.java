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
import static org.ioaio.tree.TreeTesting.failure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ioaio.AioEngine;
import org.ioaio.AioConstants;
import org.ioaio.AioException;
import org.ioaio.DirEntry;
import org.ioaio.DirScan;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.TestEngines;
import org.ioaio.internal.sys.SyscallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** aio_scandir's heuristics (link count, likely directories first, maxreq) and its errors, from the manual. */
@ExtendWith(EngineInvariants.class)
class ScandirTest {

    @TempDir
    Path tmp;

    private static final FileTime PAST = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

    private static List<String> names(List<Path> l) {
        return l.stream().map(Path::toString).sorted().toList();
    }

    /** A directory with {@code subdirs} directories named d0.. and {@code files} files named fN.txt, mtime in the past. */
    private Path dir(int subdirs, int files) throws IOException {
        Path d = Files.createDirectory(tmp.resolve("d"));
        for (int i = 0; i < subdirs; i++) {
            Files.createDirectory(d.resolve("d" + i));
        }
        for (int i = 0; i < files; i++) {
            Files.writeString(d.resolve("f" + i + ".txt"), "x");
        }
        Files.setLastModifiedTime(d, PAST);
        return d;
    }

    // "if they match (and isn't the current time), the link count will be used": nlink 2 means no subdirectory, and no entry is stat'ed.
    @Test
    void linkCountOfTwoMeansNoEntryIsStatted() throws IOException {
        Path d = dir(0, 40);
        RecordingSyscalls sys = new RecordingSyscalls();
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            DirScan s = await(aio, aio.scandir(d, 0));
            assertThat(s.dirs()).isEmpty();
            assertThat(s.nondirs()).hasSize(40);
        }
        assertThat(sys.count("stat")).as("the directory, twice").isEqualTo(2);
        assertThat(sys.count("lstat")).isZero();
        assertThat(sys.count("readdirDents")).as("names only: no type is needed").isZero();
    }

    // "If the known number of directories (link count - 2) has been reached, the rest of the entries is assumed to be non-directories."
    @Test
    void statsStopOnceTheKnownNumberOfDirectoriesIsFound() throws IOException {
        Path d = dir(3, 40);
        RecordingSyscalls sys = new RecordingSyscalls();
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            DirScan s = await(aio, aio.scandir(d, 1));
            assertThat(names(s.dirs())).containsExactly("d0", "d1", "d2");
            assertThat(s.nondirs()).hasSize(40);
        }
        // likely directories (no dot in the name) come first: d0..d2 are found before any fN.txt is tried
        assertThat(sys.count("stat")).as("the directory twice, then d0/. d1/. d2/.").isEqualTo(2 + 3);
        assertThat(sys.count("lstat")).as("the search probe opens O_NOFOLLOW: no lstat to confirm").isZero();
    }

    // "take the slow route if anything looks fishy": a directory modified within the current second has every entry stat'ed, and the result is still right.
    @Test
    void recentlyModifiedDirectoryStatsEveryEntry() throws IOException {
        Path d = dir(2, 10);
        Files.setLastModifiedTime(d, FileTime.from(Instant.now()));
        Files.createSymbolicLink(d.resolve("link-to-dir"), Path.of("d0"));
        RecordingSyscalls sys = new RecordingSyscalls();
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            DirScan s = await(aio, aio.scandir(d, 0));
            assertThat(names(s.dirs())).containsExactly("d0", "d1");
            assertThat(s.nondirs()).hasSize(11).contains(Path.of("link-to-dir"));
        }
        assertThat(sys.count("stat")).as("the directory twice, every entry once").isEqualTo(2 + 13);
        assertThat(sys.count("lstat")).as("the search probe opens O_NOFOLLOW: no lstat to confirm").isZero();
    }

    // "$maxreq specifies the maximum number of outstanding aio requests that this function generates": never more stats at once, and that many are used.
    @Test
    void maxreqBoundsTheStatsInFlight() throws IOException {
        Path d = dir(0, 30);
        Files.setLastModifiedTime(d, FileTime.from(Instant.now())); // every entry is stat'ed
        RecordingSyscalls sys = new RecordingSyscalls();
        CyclicBarrier three = new CyclicBarrier(3);
        sys.hook = (method, p) -> {
            if (method.equals("stat") && p.endsWith(".")) {
                try {
                    three.await(30, TimeUnit.SECONDS); // three must be in flight together
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    throw new SyscallException(Errno.EINTR);
                }
            }
        };
        try (AioEngine aio = TestEngines.on(sys, 8)) {
            DirScan s = await(aio, aio.scandir(d, 3));
            assertThat(s.nondirs()).hasSize(30);
        }
        assertThat(sys.maxStatsInFlight.get()).isEqualTo(3);
    }

    // "If it is <= 0, then a suitable default will be chosen (currently 4)".
    @Test
    void maxreqZeroMeansFour() throws IOException {
        Path d = dir(0, 40);
        Files.setLastModifiedTime(d, FileTime.from(Instant.now()));
        RecordingSyscalls sys = new RecordingSyscalls();
        try (AioEngine aio = TestEngines.on(sys, 8)) {
            await(aio, aio.scandir(d, 0));
            await(aio, aio.scandir(d, -7));
        }
        assertThat(sys.maxStatsInFlight.get()).isBetween(1, 4);
    }

    // "If readdir returns file type information, then this is used directly": with a link count below 2 (btrfs) types decide, without a stat per entry.
    @Test
    void linkCountBelowTwoUsesTheEntryTypes() throws IOException {
        Path d = dir(2, 5);
        Files.createSymbolicLink(d.resolve("ld"), Path.of("d1"));
        RecordingSyscalls sys = new RecordingSyscalls() {
            @Override
            public FileStat fstatDir(org.ioaio.internal.sys.TreeDir dir) throws SyscallException {
                FileStat st = super.fstatDir(dir);
                return dir.path().equals(d) ? withNlink(st, 1) : st;
            }
        };
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            DirScan s = await(aio, aio.scandir(d, 0));
            assertThat(names(s.dirs())).containsExactly("d0", "d1");
            assertThat(names(s.nondirs())).hasSize(6).contains("ld");
        }
        assertThat(sys.count("readdirDents")).isEqualTo(1);
        assertThat(sys.count("stat")).as("the directory once: no second look is needed; d0/. d1/. searchable").isEqualTo(1 + 2);
    }

    private static FileStat withNlink(FileStat s, long nlink) {
        return new FileStat(s.dev(), s.ino(), s.mode(), nlink, s.uid(), s.gid(), s.rdev(), s.size(), s.atimeSec(),
                s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec(), s.blksize(), s.blocks());
    }

    // A directory removed while it is being scanned fails with ENOENT (the second look at it), naming the directory.
    @Test
    void directoryRemovedWhileScannedFailsWithEnoent() throws IOException {
        Path d = dir(1, 3);
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.hook = (method, p) -> {
            if (method.equals("stat") && p.equals(d) && sys.count("readdir") == 1) {
                try {
                    TreeTesting.sh("rm", "-rf", d.toString());
                } catch (AssertionError e) {
                    throw new SyscallException(Errno.EIO);
                }
            }
        };
        try (AioEngine aio = TestEngines.on(sys, 2)) {
            AioException e = failure(aio, aio.scandir(d, 0));
            assertThat(e.error()).isEqualTo(Errno.ENOENT);
            assertThat(e.operation()).isEqualTo("stat");
            assertThat(e.path()).isEqualTo(d.toString());
        }
    }

    // A loop of symlinks inside is a non-directory; at the top it is ELOOP; a file at the top is ENOTDIR.
    @Test
    void symlinkLoopsAndFiles() throws IOException {
        Path d = dir(1, 1);
        Files.createSymbolicLink(d.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(d.resolve("b"), Path.of("a"));
        Files.createSymbolicLink(d.resolve("self"), Path.of("self"));
        try (AioEngine aio = TreeTesting.engine()) {
            DirScan s = await(aio, aio.scandir(d, 0));
            assertThat(names(s.dirs())).containsExactly("d0");
            assertThat(names(s.nondirs())).containsExactly("a", "b", "f0.txt", "self");
            assertThat(failure(aio, aio.scandir(d.resolve("a"), 0)).error()).isEqualTo(Errno.ELOOP);
            AioException file = failure(aio, aio.scandir(d.resolve("f0.txt"), 0));
            assertThat(file.error()).isEqualTo(Errno.ENOTDIR);
            assertThat(file.operation()).isEqualTo("scandir");
        }
    }

    // A failing readdir (injected EIO) fails readdir, readdirx and scandir with that errno, naming readdir and the directory.
    @Test
    void readdirFailuresReachTheCaller() throws IOException {
        Path d = dir(1, 2);
        org.ioaio.faults.FaultInjectingSyscalls faults = new org.ioaio.faults.FaultInjectingSyscalls()
                .failAlways("readdir", Errno.EIO)
                .failAlways("readdirDents", Errno.ENOMEM);
        try (AioEngine aio = TestEngines.on(faults.wrap(new org.ioaio.internal.sys.NioSyscalls()), 2)) {
            assertThat(failure(aio, aio.readdir(d)).error()).isEqualTo(Errno.EIO);
            assertThat(failure(aio, aio.readdirx(d, 0)).error()).isEqualTo(Errno.EIO);
            assertThat(failure(aio, aio.readdirx(d, org.ioaio.AioConstants.READDIR_DENTS)).error()).isEqualTo(Errno.ENOMEM);
            AioException e = failure(aio, aio.scandir(d, 0));
            assertThat(e.error()).isEqualTo(Errno.EIO);
            assertThat(e.operation()).isEqualTo("readdir");
            assertThat(e.path()).isEqualTo(d.toString());
        }
        assertThat(faults.injections()).hasSize(4);
    }

    // Both forms: the callback gets the DirScan as its value with status 0; a failure is status -1 with the errno.
    @Test
    void callbackFormDeliversTheSplitOrTheErrno() throws IOException {
        Path d = dir(1, 2);
        try (AioEngine aio = TreeTesting.engine()) {
            Object[] seen = new Object[3];
            aio.scandir(d, 0, r -> {
                seen[0] = r.value();
                seen[1] = r.status();
                seen[2] = r.errno();
            });
            aio.flush();
            assertThat(((DirScan) seen[0]).dirs()).containsExactly(Path.of("d0"));
            assertThat(seen[1]).isEqualTo(0L);
            assertThat(seen[2]).isEqualTo(0);
            aio.scandir(tmp.resolve("missing"), 0, r -> {
                seen[0] = r.value();
                seen[1] = r.status();
                seen[2] = r.errno();
            });
            aio.flush();
            assertThat(seen[0]).isNull();
            assertThat(seen[1]).isEqualTo(-1L);
            assertThat(seen[2]).isEqualTo(Errno.ENOENT.code());
            assertThat(aio.nreqs()).isZero();
        }
    }

    /** A recording layer whose listing brings each entry's type, as getdents64's d_type does on the native backend. */
    private static class TypedListing extends RecordingSyscalls {
        @Override
        public boolean readdirTypesFree() {
            return true;
        }
    }

    // "If readdir returns file type information, then this is used directly to find directories": one listing, each DT_DIR checked to be searchable, no other stat; a symlink to a directory is a non-directory.
    @Test
    void typesFromTheListingDecideWithoutAStat() throws IOException {
        Path d = dir(3, 20);
        Files.createSymbolicLink(d.resolve("ld"), Path.of("d1"));
        TypedListing sys = new TypedListing();
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            DirScan s = await(aio, aio.scandir(d, 0));
            assertThat(names(s.dirs())).containsExactly("d0", "d1", "d2");
            assertThat(names(s.nondirs())).hasSize(21).contains("ld");
        }
        assertThat(sys.count("readdirDents")).isEqualTo(1);
        assertThat(sys.count("stat")).as("each DT_DIR entry checked to be searchable (d0/. d1/. d2/.)").isEqualTo(3);
        assertThat(sys.count("lstat") + sys.count("readdir")).as("nothing but the listing").isZero();
    }

    // An unknown type (a file system that leaves d_type out) falls back to the link count: the directory is stat'ed, read again between its two looks, and likely directories are stat'ed until the known number is found.
    @Test
    void anUnknownTypeFallsBackToTheLinkCount() throws IOException {
        Path d = dir(2, 10);
        TypedListing sys = new TypedListing() {
            @Override
            public List<DirEntry> readdirAt(org.ioaio.internal.sys.TreeDir dir, boolean types) throws SyscallException {
                List<DirEntry> l = new ArrayList<>(super.readdirAt(dir, types));
                l.set(0, new DirEntry(l.get(0).name(), AioConstants.DT_UNKNOWN, 0));
                return l;
            }
        };
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            DirScan s = await(aio, aio.scandir(d, 1));
            assertThat(names(s.dirs())).containsExactly("d0", "d1");
            assertThat(s.nondirs()).hasSize(10);
        }
        assertThat(sys.count("readdirDents")).as("the first listing, then the one between the two looks").isEqualTo(2);
        assertThat(sys.count("stat")).as("the directory twice, then d0/. d1/.").isEqualTo(4);
        assertThat(sys.count("lstat")).as("the search probe opens O_NOFOLLOW: no lstat to confirm").isZero();
    }

    // With types from the listing the directory is not stat'ed first, and the errors stay: a file is ENOTDIR of scandir, a missing name ENOENT, each naming the path.
    @Test
    void typedListingKeepsTheErrors() throws IOException {
        Path d = dir(0, 1);
        Path file = d.resolve("f0.txt");
        Path missing = d.resolve("missing");
        try (AioEngine aio = TestEngines.on(new TypedListing(), 2)) {
            AioException e = failure(aio, aio.scandir(file, 0));
            assertThat(e.error()).isEqualTo(Errno.ENOTDIR);
            assertThat(e.operation()).isEqualTo("scandir");
            assertThat(e.path()).isEqualTo(file.toString());
            e = failure(aio, aio.scandir(missing, 0));
            assertThat(e.error()).isEqualTo(Errno.ENOENT);
            assertThat(e.path()).isEqualTo(missing.toString());
        }
    }

    // A tree walk (rmtree) opens each directory O_NOFOLLOW relative to its parent, so a symlink is never entered, and takes the types from the listing: no readdir of names, no lstat.
    @Test
    void treeWalksLstatThenUseTheTypes() throws IOException {
        Path d = dir(3, 5);
        Files.createDirectory(d.resolve("d0/inner"));
        TypedListing sys = new TypedListing();
        try (AioEngine aio = TestEngines.on(sys, 4)) {
            await(aio, aio.rmtree(d));
        }
        assertThat(Files.exists(d)).isFalse();
        assertThat(sys.count("readdirDents")).as("each of the 5 directories once").isEqualTo(5);
        assertThat(sys.count("opendir")).as("each directory opened once, O_NOFOLLOW below the top").isEqualTo(5);
        assertThat(sys.count("stat")).as("each DT_DIR entry checked to be searchable (d0 d1 d2 inner)").isEqualTo(4);
        assertThat(sys.count("lstat") + sys.count("readdir")).isZero();
    }
}
