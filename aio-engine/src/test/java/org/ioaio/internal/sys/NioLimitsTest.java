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
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.ioaio.AioConstants.FALLOC_FL_KEEP_SIZE;
import static org.ioaio.AioConstants.FALLOC_FL_PUNCH_HOLE;
import static org.ioaio.AioConstants.O_ACCMODE;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_TMPFILE;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_WHITEOUT;
import static org.ioaio.AioConstants.S_IFBLK;
import static org.ioaio.AioConstants.S_IFCHR;
import static org.ioaio.AioConstants.S_IFDIR;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.AioConstants.S_IFSOCK;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WRITE;
import static org.ioaio.internal.sys.SysTesting.assertErrno;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.ioaio.AioConstants;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the portable layer does: its documented limits (ENOSYS rather than a silent no-op),
 * its estimates and its path-based emulations. The native layer does all of these exactly
 * ({@link NativeSyscallsTest}); the behaviour both share is in the parameterised tests.
 */
@ExtendWith(EngineInvariants.class)
class NioLimitsTest {

    @TempDir
    Path dir;

    private final NioSyscalls sys = new NioSyscalls();

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    /** Flags the layer cannot honour fail: O_PATH ENOSYS, O_TMPFILE EOPNOTSUPP, access mode 3 EINVAL, unknown bits EINVAL. */
    @Test
    void unsupportedOrInvalidFlagsFail() {
        assertErrno(Errno.ENOSYS, () -> sys.open(dir, O_PATH, 0));
        assertErrno(Errno.EOPNOTSUPP, () -> sys.open(dir, O_TMPFILE | O_RDWR, 0600));
        assertErrno(Errno.EINVAL, () -> sys.open(dir.resolve("x"), O_ACCMODE | O_CREAT, 0600));
        assertErrno(Errno.EINVAL, () -> sys.open(dir.resolve("x"), O_CREAT | O_WRONLY | 0x40000000, 0600));
    }

    /**
     * utime of a FIFO returns and sets the times: the JDK opens the file to set them, and a FIFO
     * with no writer would block that open forever (the layer holds it open read-write meanwhile).
     * A device, which opening may affect, is ENOSYS.
     */
    @Test
    void utimeOfAFifoReturnsAndOfADeviceIsEnosys() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).isZero();
        Instant t = Instant.ofEpochSecond(200, 250_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sys.utime(fifo, t, t), "utime of a FIFO blocked");
        assertThat(Files.getLastModifiedTime(fifo, LinkOption.NOFOLLOW_LINKS).toInstant()).isEqualTo(t);
        FileTime before = Files.getLastModifiedTime(Path.of("/dev/null"));
        assertErrno(Errno.ENOSYS, () -> sys.utime(Path.of("/dev/null"), t, t));
        assertThat(Files.getLastModifiedTime(Path.of("/dev/null"))).isEqualTo(before);
    }

    /** fallocate modes other than 0 are ENOSYS. */
    @Test
    void fallocateModesAreEnosys() throws Exception {
        try (FileHandle f = sys.open(file("alloc", "data"), O_RDWR, 0)) {
            assertErrno(Errno.ENOSYS, () -> sys.fallocate(f, FALLOC_FL_KEEP_SIZE, 0, 10));
            assertErrno(Errno.ENOSYS, () -> sys.fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10));
        }
    }

    /** syncfs, sync and sync_file_range are ENOSYS: the JDK cannot call them. */
    @Test
    void syncCallsTheJdkLacksAreEnosys() throws Exception {
        try (FileHandle f = sys.open(file("sync", "x"), O_RDWR, 0)) {
            assertErrno(Errno.ENOSYS, () -> sys.syncfs(f));
            assertErrno(Errno.ENOSYS, () -> sys.syncFileRange(f, 0, 0, SYNC_FILE_RANGE_WRITE));
            assertErrno(Errno.ENOSYS, () -> sys.sync());
        }
    }

    /**
     * fstat and the other f*-calls that java.nio makes only by path act on the open file itself,
     * through /proc/self/fd: once its name is gone, and once another file has that name, as the
     * kernel's f*-calls do.
     */
    @Test
    void pathBasedDescriptorCallsActOnTheOpenFileOnceTheNameIsGone() throws Exception {
        Path p = file("fstat", "abc");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            sys.pwrite(f, ByteBuffer.wrap("defg".getBytes(StandardCharsets.UTF_8)), 3);
            long ino = sys.fstat(f).ino();
            Files.delete(p);
            FileStat gone = sys.fstat(f);
            assertThat(gone.nlink()).isZero();
            assertThat(gone.size()).isEqualTo(7);
            Files.writeString(p, "another file");
            assertThat(sys.fstat(f).ino()).isEqualTo(ino);
            sys.fchmod(f, 0600);
            assertThat(sys.fstat(f).mode() & 07777).isEqualTo(0600);
            assertThat(Files.getAttribute(p, "unix:mode")).as("the file now at that name").isEqualTo(0100644);
            assertThat(sys.pread(f, ByteBuffer.allocate(7), 0)).isEqualTo(7);
        }
    }

    /** blocks is the documented estimate: the size rounded up to blksize, in 512-byte units. */
    @Test
    void blocksIsTheSizeRoundedUpToBlocks() throws Exception {
        Path p = Files.write(dir.resolve("sized"), new byte[5000]);
        FileStat s = sys.stat(p);
        long perBlock = s.blksize() / 512;
        assertThat(s.blocks()).isEqualTo((5000 + s.blksize() - 1) / s.blksize() * perBlock);
        assertThat(sys.stat(Files.createFile(dir.resolve("empty"))).blocks()).isZero();
    }

    /** statvfs fields the JDK does not expose are -1 (unknown), never made up. */
    @Test
    void statvfsUnknownsAreMinusOne() throws Exception {
        StatVfs v = sys.statvfs(dir);
        assertThat(v.files()).isEqualTo(-1);
        assertThat(v.ffree()).isEqualTo(-1);
        assertThat(v.fsid()).isEqualTo(-1);
        assertThat(v.namemax()).isEqualTo(-1);
    }

    /** mknod of FIFOs, devices and sockets is ENOSYS; other types EINVAL; nothing is created. */
    @Test
    void mknodOfSpecialFilesIsEnosys() {
        assertErrno(Errno.ENOSYS, () -> sys.mknod(dir.resolve("fifo"), S_IFIFO | 0600, 0));
        assertErrno(Errno.ENOSYS, () -> sys.mknod(dir.resolve("chr"), S_IFCHR | 0600, AioConstants.makedev(1, 3)));
        assertErrno(Errno.ENOSYS, () -> sys.mknod(dir.resolve("blk"), S_IFBLK | 0600, AioConstants.makedev(7, 0)));
        assertErrno(Errno.ENOSYS, () -> sys.mknod(dir.resolve("sock"), S_IFSOCK | 0600, 0));
        assertErrno(Errno.EINVAL, () -> sys.mknod(dir.resolve("dir"), S_IFDIR | 0700, 0));
        assertThat(Files.exists(dir.resolve("fifo"))).isFalse();
    }

    /** rename2 with RENAME_EXCHANGE or RENAME_WHITEOUT is ENOSYS, and nothing changes. */
    @Test
    void rename2ExchangeAndWhiteoutAreEnosys() throws Exception {
        Path a = file("a", "A");
        Path b = file("b", "B");
        assertErrno(Errno.ENOSYS, () -> sys.rename2(a, b, RENAME_EXCHANGE));
        assertErrno(Errno.ENOSYS, () -> sys.rename2(a, b, RENAME_WHITEOUT));
        assertThat(Files.readString(a)).isEqualTo("A");
        assertThat(Files.readString(b)).isEqualTo("B");
    }
}
