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
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.S_IFCHR;
import static org.ioaio.AioConstants.S_IFDIR;
import static org.ioaio.AioConstants.S_IFLNK;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.internal.sys.SysTesting.assertErrno;
import static org.ioaio.internal.sys.SysTesting.output;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.ioaio.AioConstants;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Status and attribute calls on each syscall layer, cross-checked against stat(1). What only one
 * layer does is in {@link NioLimitsTest} and {@link NativeSyscallsTest}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.ioaio.internal.sys.Layer#all")
@ExtendWith(EngineInvariants.class)
class StatTest {

    @TempDir
    Path dir;

    @Parameter
    Layer layer;

    private Syscalls sys;

    @BeforeEach
    void layer() {
        sys = layer.require();
    }

    /**
     * Asserts that {@code s} matches what {@code stat(1)} prints for {@code p} (without following it):
     * every field, and on the native layer {@code st_blocks} too (the portable one estimates it).
     */
    private void assertMatchesStatCommand(FileStat s, Path p) throws Exception {
        String[] f = output("stat", "-c", "%d %i %f %h %u %g %s %X %Y %Z %.9X %.9Y %.9Z %o %t %T %b", p.toString()).split(" ");
        if (layer.isNative()) {
            assertThat(s.blocks()).as("blocks").isEqualTo(Long.parseLong(f[16]));
        }
        assertThat(s.dev()).as("dev").isEqualTo(Long.parseLong(f[0]));
        assertThat(s.ino()).as("ino").isEqualTo(Long.parseLong(f[1]));
        assertThat(Integer.toHexString(s.mode())).as("mode").isEqualTo(f[2]);
        assertThat(s.nlink()).as("nlink").isEqualTo(Long.parseLong(f[3]));
        assertThat(Integer.toUnsignedLong(s.uid())).as("uid").isEqualTo(Long.parseLong(f[4]));
        assertThat(Integer.toUnsignedLong(s.gid())).as("gid").isEqualTo(Long.parseLong(f[5]));
        assertThat(s.size()).as("size").isEqualTo(Long.parseLong(f[6]));
        assertThat(s.atimeSec()).as("atime").isEqualTo(Long.parseLong(f[7]));
        assertThat(s.mtimeSec()).as("mtime").isEqualTo(Long.parseLong(f[8]));
        assertThat(s.ctimeSec()).as("ctime").isEqualTo(Long.parseLong(f[9]));
        assertThat(s.atimeNsec()).as("atime nsec").isEqualTo(nanos(f[10]));
        assertThat(s.mtimeNsec()).as("mtime nsec").isEqualTo(nanos(f[11]));
        assertThat(s.ctimeNsec()).as("ctime nsec").isEqualTo(nanos(f[12]));
        assertThat(s.blksize()).as("blksize").isEqualTo(Long.parseLong(f[13]));
        assertThat(AioConstants.major(s.rdev())).as("rdev major").isEqualTo(Integer.parseInt(f[14], 16));
        assertThat(AioConstants.minor(s.rdev())).as("rdev minor").isEqualTo(Integer.parseInt(f[15], 16));
    }

    private static int nanos(String secondsDotNanos) {
        return Integer.parseInt(secondsDotNanos.substring(secondsDotNanos.indexOf('.') + 1));
    }

    /** stat of a regular file reports every field as stat(1) does, nanoseconds included. */
    @Test
    void statOfRegularFileMatchesStatCommand() throws Exception {
        Path p = Files.writeString(dir.resolve("regular"), "some content");
        FileStat s = sys.stat(p);
        assertThat(s.isRegularFile()).isTrue();
        assertThat(s.type()).isEqualTo(S_IFREG);
        assertMatchesStatCommand(s, p);
    }

    /** stat of a directory matches stat(1) and is a directory. */
    @Test
    void statOfDirectoryMatchesStatCommand() throws Exception {
        FileStat s = sys.stat(dir);
        assertThat(s.isDirectory()).isTrue();
        assertThat(s.type()).isEqualTo(S_IFDIR);
        assertMatchesStatCommand(s, dir);
    }

    /** stat of /dev/null is a character device with rdev 1:3, as stat(1) says. */
    @Test
    void statOfDeviceReportsRdev() throws Exception {
        Path devNull = Path.of("/dev/null");
        FileStat s = sys.stat(devNull);
        assertThat(s.isCharacterDevice()).isTrue();
        assertThat(s.type()).isEqualTo(S_IFCHR);
        assertThat(s.rdev()).isEqualTo(AioConstants.makedev(1, 3));
        assertMatchesStatCommand(s, devNull);
    }

    /** lstat of a symlink reports the link itself (as stat(1) without -L); stat follows it. */
    @Test
    void lstatReportsTheLinkAndStatItsTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "12345");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());
        FileStat l = sys.lstat(link);
        assertThat(l.isSymbolicLink()).isTrue();
        assertThat(l.type()).isEqualTo(S_IFLNK);
        assertThat(l.size()).isEqualTo("target".length());
        assertMatchesStatCommand(l, link);
        FileStat s = sys.stat(link);
        assertThat(s.isRegularFile()).isTrue();
        assertThat(s.ino()).isEqualTo(sys.stat(target).ino());
    }

    /** A dangling symlink: stat fails with ENOENT, lstat succeeds. */
    @Test
    void danglingSymlinkStatFailsLstatSucceeds() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertErrno(Errno.ENOENT, () -> sys.stat(link));
        assertThat(sys.lstat(link).isSymbolicLink()).isTrue();
    }

    /** stat errors: ENOENT, ENOTDIR (a file as a directory), ELOOP, ENAMETOOLONG. */
    @Test
    void statErrorsAreTheSyscallsErrnos() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertErrno(Errno.ENOENT, () -> sys.stat(dir.resolve("missing")));
        assertErrno(Errno.ENOENT, () -> sys.lstat(dir.resolve("missing")));
        assertErrno(Errno.ENOTDIR, () -> sys.stat(file.resolve("below")));
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        assertErrno(Errno.ELOOP, () -> sys.stat(loop));
        assertThat(sys.lstat(loop).isSymbolicLink()).isTrue();
        assertErrno(Errno.ENAMETOOLONG, () -> sys.stat(dir.resolve("n".repeat(300))));
    }

    /** utime sets times to the nanosecond (read back exactly); the atime and mtime are independent. */
    @Test
    void utimeSetsNanosecondTimes() throws Exception {
        Path p = Files.writeString(dir.resolve("times"), "x");
        Instant atime = Instant.ofEpochSecond(1_234_567_890L, 123_456_789);
        Instant mtime = Instant.ofEpochSecond(1_000_000_000L, 987_654_321);
        assertThat(sys.utime(p, atime, mtime)).isZero();
        FileStat s = sys.stat(p);
        assertThat(s.atime()).isEqualTo(atime);
        assertThat(s.mtime()).isEqualTo(mtime);
        assertThat(s.atimeNsec()).isEqualTo(123_456_789);
        assertThat(s.mtimeSec()).isEqualTo(1_000_000_000L);
        assertMatchesStatCommand(s, p);
    }

    /** utime with null times sets them to now: later than a time set before. */
    @Test
    void utimeWithNullSetsNow() throws Exception {
        Path p = Files.writeString(dir.resolve("now"), "x");
        Instant old = Instant.ofEpochSecond(1_000_000_000L);
        sys.utime(p, old, old);
        assertThat(sys.utime(p, null, null)).isZero();
        FileStat s = sys.stat(p);
        assertThat(s.atime()).isAfter(old);
        assertThat(s.mtime()).isAfter(old);
        sys.utime(p, old, null);
        assertThat(sys.stat(p).atime()).isEqualTo(old);
        assertThat(sys.stat(p).mtime()).isAfter(old);
    }

    /** utime follows symlinks (the target's times change, not the link's); a missing file is ENOENT. */
    @Test
    void utimeFollowsSymlinks() throws Exception {
        Path target = Files.writeString(dir.resolve("t"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("l"), target);
        Instant when = Instant.ofEpochSecond(1_500_000_000L, 5);
        sys.utime(link, when, when);
        assertThat(sys.stat(target).mtime()).isEqualTo(when);
        assertThat(sys.lstat(link).mtime()).isNotEqualTo(when);
        assertErrno(Errno.ENOENT, () -> sys.utime(dir.resolve("missing"), when, when));
    }

    /** futime sets the times of an open file. */
    @Test
    void futimeSetsTimesOfOpenFile() throws Exception {
        Path p = Files.writeString(dir.resolve("ftimes"), "x");
        Instant when = Instant.ofEpochSecond(1_600_000_000L, 42);
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            assertThat(sys.futime(f, when, when)).isZero();
        }
        assertThat(sys.stat(p).mtime()).isEqualTo(when);
        assertThat(sys.stat(p).atime()).isEqualTo(when);
    }

    /** chown changes owner and group, -1 leaves one unchanged; fchown too (tests run as root). */
    @Test
    void chownChangesOwnerAndGroup() throws Exception {
        Path p = Files.writeString(dir.resolve("owned"), "x");
        int uid = SysTesting.uid();
        if (uid != 0) {
            // without privilege only a no-op chown can be checked
            assertThat(sys.chown(p, -1, -1)).isZero();
            return;
        }
        assertThat(sys.chown(p, 1234, 4321)).isZero();
        assertThat(sys.stat(p).uid()).isEqualTo(1234);
        assertThat(sys.stat(p).gid()).isEqualTo(4321);
        assertThat(sys.chown(p, -1, 99)).isZero();
        assertThat(sys.stat(p).uid()).isEqualTo(1234);
        assertThat(sys.stat(p).gid()).isEqualTo(99);
        assertThat(sys.chown(p, 7, -1)).isZero();
        assertThat(sys.stat(p).uid()).isEqualTo(7);
        assertThat(sys.stat(p).gid()).isEqualTo(99);
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            assertThat(sys.fchown(f, 0, 0)).isZero();
        }
        assertThat(sys.stat(p).uid()).isZero();
        assertMatchesStatCommand(sys.stat(p), p);
        assertErrno(Errno.ENOENT, () -> sys.chown(dir.resolve("missing"), -1, -1));
        assertErrno(Errno.ENOENT, () -> sys.chown(dir.resolve("missing"), 0, 0));
    }

    /** chmod sets the permission bits including set-id and sticky bits; fchmod too; ENOENT when missing. */
    @Test
    void chmodSetsModeBits() throws Exception {
        Path p = Files.writeString(dir.resolve("moded"), "x");
        assertThat(sys.chmod(p, 04751)).isZero();
        assertThat(sys.stat(p).permissions()).isEqualTo(04751);
        assertThat(sys.stat(p).mode()).isEqualTo(S_IFREG | 04751);
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            assertThat(sys.fchmod(f, 0600)).isZero();
        }
        assertThat(sys.stat(p).permissions()).isEqualTo(0600);
        assertThat(sys.chmod(p, S_IFDIR | 0644)).as("type bits are ignored").isZero();
        assertThat(sys.stat(p).mode()).isEqualTo(S_IFREG | 0644);
        assertErrno(Errno.ENOENT, () -> sys.chmod(dir.resolve("missing"), 0600));
    }

    /** statvfs reports the file system as stat -f does (block size and total blocks); fstatvfs agrees. */
    @Test
    void statvfsMatchesStatFilesystemCommand() throws Exception {
        StatVfs v = sys.statvfs(dir);
        String[] f = output("stat", "-f", "-c", "%s %S %b", dir.toString()).split(" ");
        assertThat(v.bsize()).isEqualTo(Long.parseLong(f[0]));
        assertThat(v.frsize()).isEqualTo(Long.parseLong(f[1]));
        assertThat(v.blocks()).isEqualTo(Long.parseLong(f[2]));
        assertThat(v.bfree()).isBetween(0L, v.blocks());
        assertThat(v.bavail()).isBetween(0L, v.bfree());
        assertThat(v.isReadOnly()).isFalse();
        try (FileHandle d = sys.open(dir, O_RDONLY, 0)) {
            assertThat(sys.fstatvfs(d).blocks()).isEqualTo(v.blocks());
        }
        assertErrno(Errno.ENOENT, () -> sys.statvfs(dir.resolve("missing")));
    }
}
