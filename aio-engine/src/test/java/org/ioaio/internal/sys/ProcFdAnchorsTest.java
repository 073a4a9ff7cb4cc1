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
import static org.ioaio.internal.sys.SysTesting.assertErrno;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.Errno;
import org.ioaio.wd.SymlinkFlipper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcFdAnchors}: a held directory named through a descriptor of its own, so that what the
 * portable layer can only create by path lands in that directory even after its path was swapped
 * for a symlink to elsewhere.
 */
class ProcFdAnchorsTest {

    @TempDir
    Path tmp;

    private static SecureDirectoryStream<Path> hold(Path dir) throws IOException {
        DirectoryStream<Path> ds = Files.newDirectoryStream(dir);
        assertThat(ds).as("the JDK's secure directory streams (Linux)").isInstanceOf(SecureDirectoryStream.class);
        return (SecureDirectoryStream<Path>) ds;
    }

    /** Moves {@code dir} away and puts a symlink to {@code elsewhere} in its place; returns where it went. */
    private static Path swap(Path dir, Path elsewhere) throws IOException {
        Path moved = dir.resolveSibling(dir.getFileName() + ".moved");
        Files.move(dir, moved);
        Files.createSymbolicLink(dir, elsewhere);
        return moved;
    }

    @Test
    void createsInTheHeldDirectoryAfterItsPathLedElsewhere() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(a.resolve("f"), "inside");
        NioSyscalls nio = new NioSyscalls();
        try (SecureDirectoryStream<Path> held = hold(a)) {
            Object key = DirectoryHandle.keyOf(held);
            Path moved = swap(a, outside);
            try (ProcFdAnchors at = ProcFdAnchors.open(List.of(held), List.of(key))) {
                nio.mkdir(at.at(0, Path.of("d")), 0755);
                nio.symlink(Path.of("target"), at.at(0, Path.of("s")));
                nio.link(at.at(0, Path.of("f")), at.at(0, Path.of("h")));
                assertThat(Files.readString(at.at(0, Path.of("f")))).isEqualTo("inside");
            }
            assertThat(Files.isDirectory(moved.resolve("d"))).isTrue();
            assertThat(Files.readSymbolicLink(moved.resolve("s"))).isEqualTo(Path.of("target"));
            assertThat(Files.readString(moved.resolve("h"))).isEqualTo("inside");
            assertThat(WdNames.of(outside)).isEmpty();
        }
    }

    @Test
    void anchorsTwoDirectoriesAtOnce() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Files.writeString(a.resolve("f"), "x");
        try (SecureDirectoryStream<Path> ha = hold(a); SecureDirectoryStream<Path> hb = hold(b);
                ProcFdAnchors at = ProcFdAnchors.open(List.of(ha, hb), List.of(DirectoryHandle.keyOf(ha), DirectoryHandle.keyOf(hb)))) {
            new NioSyscalls().link(at.at(0, Path.of("f")), at.at(1, Path.of("g")));
        }
        assertThat(Files.isSameFile(a.resolve("f"), b.resolve("g"))).isTrue();
    }

    @Test
    void aDescriptorThatIsNotTheDirectoryGivesEagain() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        try (SecureDirectoryStream<Path> ha = hold(a); SecureDirectoryStream<Path> hb = hold(b)) {
            Object otherKey = DirectoryHandle.keyOf(hb);
            assertErrno(Errno.EAGAIN, () -> ProcFdAnchors.open(List.of(ha), List.of(otherKey)).close());
        }
    }

    // Hundreds of descriptors with gaps among them, which the kernel fills lowest first: the one
    // opened for the anchor is found wherever it lands.
    @Test
    void findsItsDescriptorAmongManyAndAroundGaps() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        List<InputStream> open = new ArrayList<>();
        try (SecureDirectoryStream<Path> held = hold(a)) {
            Object key = DirectoryHandle.keyOf(held);
            for (int i = 0; i < 600; i++) {
                open.add(new FileInputStream(file.toFile()));
            }
            for (int i = 0; i < 600; i += 3) {
                open.get(i).close(); // gaps everywhere: the kernel fills the lowest
            }
            for (int round = 0; round < 50; round++) {
                try (ProcFdAnchors at = ProcFdAnchors.open(List.of(held), List.of(key))) {
                    Files.createDirectory(at.at(0, Path.of("d" + round)));
                }
                if (round % 10 == 0) {
                    open.add(new FileInputStream(file.toFile())); // shift where the next one lands
                }
            }
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
        try (DirectoryStream<Path> made = Files.newDirectoryStream(a)) {
            assertThat(made).hasSize(50);
        }
    }

    // A file opened through openNamed is named by its own descriptor wherever the kernel puts it
    // among hundreds with gaps: the name leads to that file, and a change through it reaches it.
    @Test
    void namesAFileItOpensAmongManyDescriptorsAndAroundGaps() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path other = Files.writeString(tmp.resolve("other"), "y");
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 600; i++) {
                open.add(new FileInputStream(other.toFile()));
            }
            for (int i = 0; i < 600; i += 3) {
                open.get(i).close(); // gaps everywhere: the kernel fills the lowest
            }
            for (int round = 0; round < 50; round++) {
                try (ProcFdAnchors.Named named = ProcFdAnchors.openNamed(
                        () -> Files.newByteChannel(file, StandardOpenOption.READ, StandardOpenOption.WRITE))) {
                    assertThat(Files.readAttributes(named.anchor(), BasicFileAttributes.class).fileKey()).isEqualTo(key);
                    assertThat(named.channel().position()).as("the offset set back").isZero();
                    Files.setLastModifiedTime(named.anchor(), FileTime.fromMillis(1000L * round));
                }
                assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1000L * round);
                if (round % 10 == 0) {
                    open.add(new FileInputStream(other.toFile())); // shift where the next one lands
                }
            }
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
    }

    // What has no offset (a FIFO swapped in for the file) gives ESPIPE and is closed again; the
    // read-write open never waited for a writer.
    @Test
    void somethingWithoutAnOffsetGivesEspipeAndIsClosedAgain() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).as("mkfifo").isZero();
        java.nio.channels.SeekableByteChannel[] opened = new java.nio.channels.SeekableByteChannel[1];
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertErrno(Errno.ESPIPE, () -> ProcFdAnchors.openNamed(() -> {
                    opened[0] = Files.newByteChannel(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    return opened[0];
                })));
        assertThat(opened[0]).isNotNull();
        assertThat(opened[0].isOpen()).as("the FIFO's channel closed again").isFalse();
    }

    // The portable layer's held directories (copyTree's, rmtree's...) create through the anchor:
    // the directory's path swapped for a symlink after it was opened changes nothing.
    @Test
    void thePortableTreeCallsCreateInTheHeldDirectory() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        NioSyscalls nio = new NioSyscalls();
        try (TreeDir d = nio.openDir(a, false)) {
            Path moved = swap(a, outside);
            nio.mkdirAt(d, Path.of("d"), 0700);
            nio.symlinkAt(Path.of("t"), d, Path.of("s"));
            nio.mknodAt(d, Path.of("n"), 0100644, 0);
            assertThat(WdNames.of(moved)).containsExactlyInAnyOrder("d", "s", "n");
            assertThat(Files.getAttribute(moved.resolve("d"), "unix:mode")).isEqualTo(040700);
        }
        assertThat(WdNames.of(outside)).isEmpty();
    }

    // The held directory's path flips between the directory and a symlink to outside, again and
    // again, while names are created in it: every one lands in the held directory.
    @Test
    void aPathFlippingToASymlinkNeverRedirectsATreeCreation() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        NioSyscalls nio = new NioSyscalls();
        int n = 1500;
        int made = 0;
        try (TreeDir d = nio.openDir(a, false); SymlinkFlipper flipper = SymlinkFlipper.start(a, outside)) {
            for (; made < n || flipper.flips() < 20; made++) { // on until it flipped often enough
                int i = made;
                if (i % 2 == 0) {
                    nio.mkdirAt(d, Path.of("n" + i), 0755);
                } else {
                    nio.symlinkAt(Path.of("t"), d, Path.of("n" + i));
                }
            }
            assertThat(flipper.flips()).as("flips meanwhile").isPositive();
        }
        assertThat(WdNames.of(outside)).as("outside").isEmpty();
        assertThat(WdNames.of(a)).hasSize(made);
    }

    // An open file's attributes change through its descriptor (fchmod, fchown, futimens, fstat),
    // not through its name: renamed and replaced by a symlink to another file, it still is the one.
    @Test
    void aHandlesChangesReachTheOpenFileWhateverItsNameLeadsTo() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "opened");
        Path other = Files.writeString(tmp.resolve("other"), "other");
        Files.setPosixFilePermissions(other, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        NioSyscalls nio = new NioSyscalls();
        FileHandle h = nio.open(f, org.ioaio.AioConstants.O_RDWR, 0);
        try {
            Path moved = Files.move(f, tmp.resolve("moved"));
            Files.createSymbolicLink(f, other);
            nio.fchmod(h, 0751);
            nio.fchown(h, 4242, 4343);
            nio.futime(h, java.time.Instant.ofEpochSecond(7), java.time.Instant.ofEpochSecond(9));
            org.ioaio.FileStat st = nio.fstat(h);
            assertThat(st.ino()).isEqualTo(Files.getAttribute(moved, "unix:ino"));
            assertThat(st.mode() & 07777).isEqualTo(0751);
            assertThat(Files.getAttribute(moved, "unix:mode")).isEqualTo(0100751);
            assertThat(Files.getAttribute(moved, "unix:uid")).isEqualTo(4242);
            assertThat(Files.getAttribute(moved, "unix:gid")).isEqualTo(4343);
            assertThat(Files.getLastModifiedTime(moved).toMillis()).isEqualTo(9000);
            assertThat(Files.getAttribute(other, "unix:mode")).isEqualTo(0100600);
            assertThat(Files.getAttribute(other, "unix:uid")).isEqualTo(0);
        } finally {
            h.closeOnce();
        }
    }

    // A handle closed while a call holds its descriptor's number: the descriptor stays open until
    // that call ends (another file opened meanwhile cannot get the number), later calls get EBADF.
    @Test
    void aHandleClosedDuringACallThroughItsDescriptorClosesWhenTheCallEnds() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        NioFileHandle h = (NioFileHandle) new NioSyscalls().open(f, org.ioaio.AioConstants.O_RDWR, 0);
        Path anchor = h.anchored();
        assertThat(anchor).isNotNull();
        assertThat(Files.isSameFile(anchor, f)).isTrue();
        h.closeOnce();
        assertThat(h.channel.isOpen()).as("held by the call").isTrue();
        assertThat(Files.isSameFile(anchor, f)).isTrue();
        assertErrno(Errno.EBADF, h::anchored);
        h.doneAnchored();
        assertThat(h.channel.isOpen()).as("closed when the call ended").isFalse();
    }

    // A file a tree operation opens in a jail's directory (a tree copy's destination) changes its
    // attributes through its descriptor: with the directory's path swapped for a symlink to a
    // directory outside holding the same name, the change still reaches the opened file. Outside
    // a jail the tree's files change by path, checked: the swap is seen (ESTALE), nothing changes.
    @Test
    void aJailsTreeFilesChangeThroughTheirDescriptorOthersByPathChecked() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("f"), "outside");
        NioSyscalls nio = new NioSyscalls();
        for (boolean confined : new boolean[] {true, false}) {
            Path a = Files.createDirectory(tmp.resolve("a"));
            Files.writeString(a.resolve("f"), "inside");
            SecureDirectoryStream<Path> held = hold(a);
            try (TreeDir d = new NioTreeCalls.NioTreeDir(a, DirectoryHandle.keyOf(held), held, confined);
                    FileHandle h = nio.openAt(d, Path.of("f"), org.ioaio.AioConstants.O_RDWR, 0)) {
                Path moved = swap(a, outside);
                if (confined) {
                    nio.fchmod(h, 0711);
                    assertThat(Files.getAttribute(moved.resolve("f"), "unix:mode")).isEqualTo(0100711);
                } else {
                    assertErrno(Errno.ESTALE, () -> nio.fchmod(h, 0711));
                    assertThat(Files.getAttribute(moved.resolve("f"), "unix:mode")).isEqualTo(0100644);
                }
                assertThat(Files.getAttribute(outside.resolve("f"), "unix:mode")).isEqualTo(0100644);
                Files.delete(a);
                FsCleanup.removeTree(moved);
            }
        }
    }

    // A FIFO has no offset to mark: its handle changes by path, checked, and does not wait for a
    // read that blocks on it until a writer comes.
    @Test
    void aFifosHandleChangesWithoutWaitingForABlockedRead() throws Exception {
        Path fifo = tmp.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).as("mkfifo").isZero();
        NioSyscalls nio = new NioSyscalls();
        FileHandle h = nio.open(fifo, org.ioaio.AioConstants.O_RDWR, 0); // O_RDWR: a FIFO opens without waiting
        Thread reader = new Thread(() -> {
            try {
                nio.read(h, java.nio.ByteBuffer.allocate(1)); // blocks until a byte comes
            } catch (SyscallException e) {
                // the handle closed under it: the test is over
            }
        }, "test-reader");
        try {
            reader.start();
            while (!inNativeRead(reader)) { // until the reader is blocked in read(2), holding the channel's position
                Thread.yield();
            }
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> nio.fchmod(h, 0640));
            assertThat(Files.getAttribute(fifo, "unix:mode")).isEqualTo(0010640);
        } finally {
            Files.write(fifo, new byte[] {1}); // a writer: the read returns
            reader.join();
            h.closeOnce();
        }
    }

    /** Whether {@code t} is inside the JDK's native read of a channel (a frame {@code read0}). */
    private static boolean inNativeRead(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals("read0") && e.isNativeMethod()) {
                return true;
            }
        }
        return false;
    }

    /** Removes a small tree. */
    private static final class FsCleanup {
        static void removeTree(Path dir) throws IOException {
            try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Names in a directory. */
    private static final class WdNames {
        static List<String> of(Path dir) throws IOException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    names.add(p.getFileName().toString());
                }
            }
            return names;
        }
    }
}
