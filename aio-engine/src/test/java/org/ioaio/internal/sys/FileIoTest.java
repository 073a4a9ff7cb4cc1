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

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.ioaio.AioConstants.MS_ASYNC;
import static org.ioaio.AioConstants.MS_SYNC;
import static org.ioaio.AioConstants.MT_MODIFY;
import static org.ioaio.AioConstants.O_APPEND;
import static org.ioaio.AioConstants.O_CLOEXEC;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_DSYNC;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOATIME;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_SYNC;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.SEEK_CUR;
import static org.ioaio.AioConstants.SEEK_DATA;
import static org.ioaio.AioConstants.SEEK_END;
import static org.ioaio.AioConstants.SEEK_HOLE;
import static org.ioaio.AioConstants.SEEK_SET;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WRITE;
import static org.ioaio.internal.sys.SysTesting.assertErrno;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Descriptor calls on each syscall layer: open and its flags, I/O, seek, sendfile, sizes, sync,
 * mappings. What only one layer does is in {@link NioLimitsTest} and {@link NativeSyscallsTest}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.ioaio.internal.sys.Layer#all")
@ExtendWith(EngineInvariants.class)
class FileIoTest {

    @TempDir
    Path dir;

    @Parameter
    Layer layer;

    private Syscalls sys;

    @BeforeEach
    void layer() {
        sys = layer.require();
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(UTF_8));
        return p;
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    private String read(FileHandle f, long offset, int length) throws SyscallException {
        ByteBuffer b = ByteBuffer.allocate(length);
        int n = sys.pread(f, b, offset);
        return new String(b.array(), 0, n, UTF_8);
    }

    // ---------------------------------------------------------------- open

    /** open(O_CREAT|O_RDWR) creates the file; pwrite then pread round-trip the bytes. */
    @Test
    void openCreatesAndPreadReadsWhatPwriteWrote() throws Exception {
        Path p = dir.resolve("new");
        try (FileHandle f = sys.open(p, O_CREAT | O_RDWR, 0644)) {
            assertThat(sys.pwrite(f, bytes("hello world"), 0)).isEqualTo(11);
            assertThat(read(f, 6, 100)).isEqualTo("world");
            assertThat(f.path()).isEqualTo(p);
            assertThat(f.flags()).isEqualTo(O_CREAT | O_RDWR);
        }
        assertThat(Files.readString(p)).isEqualTo("hello world");
    }

    /** The creation mode is applied minus the umask: no bit outside the requested ones. */
    @Test
    void openCreatesWithTheModeMinusUmask() throws Exception {
        Path p = dir.resolve("mode");
        sys.close(sys.open(p, O_CREAT | O_WRONLY, 0640));
        int perms = sys.stat(p).permissions();
        assertThat(perms & ~0640).isZero();
        assertThat(perms & 0600).isEqualTo(0600);
    }

    /** Set-id bits of the creation mode are applied, as open(2) does. */
    @Test
    void openCreatesWithSetIdBits() throws Exception {
        Path p = dir.resolve("setuid");
        sys.close(sys.open(p, O_CREAT | O_WRONLY, 04755));
        assertThat(sys.stat(p).permissions() & 07000).isEqualTo(04000);
    }

    /** O_RDONLY|O_CREAT creates the file (the JDK alone would not) and opens it read-only. */
    @Test
    void openReadOnlyWithCreatCreates() throws Exception {
        Path p = dir.resolve("ro-created");
        try (FileHandle f = sys.open(p, O_RDONLY | O_CREAT, 0600)) {
            assertThat(Files.isRegularFile(p)).isTrue();
            assertErrno(Errno.EBADF, () -> sys.write(f, bytes("x")));
        }
    }

    /** O_CREAT|O_EXCL fails with EEXIST on an existing name, a dangling symlink included. */
    @Test
    void openExclusiveOnExistingNameFailsWithEexist() throws Exception {
        Path p = file("exists", "x");
        assertErrno(Errno.EEXIST, () -> sys.open(p, O_CREAT | O_EXCL | O_WRONLY, 0644));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertErrno(Errno.EEXIST, () -> sys.open(dangling, O_CREAT | O_EXCL | O_WRONLY, 0644));
        assertThat(Files.exists(dir.resolve("nowhere"))).isFalse();
        assertErrno(Errno.EEXIST, () -> sys.open(p, O_CREAT | O_EXCL | O_RDONLY, 0644));
    }

    /** open of a missing file without O_CREAT fails with ENOENT; a missing parent with O_CREAT too. */
    @Test
    void openMissingFailsWithEnoent() {
        assertErrno(Errno.ENOENT, () -> sys.open(dir.resolve("missing"), O_RDONLY, 0));
        assertErrno(Errno.ENOENT, () -> sys.open(dir.resolve("no/such/dir"), O_CREAT | O_WRONLY, 0644));
    }

    /** Opening a directory for writing fails with EISDIR; read-only it opens (for fsync, fstat). */
    @Test
    void openDirectoryForWritingFailsWithEisdirButReadOnlyWorks() throws Exception {
        assertErrno(Errno.EISDIR, () -> sys.open(dir, O_WRONLY, 0));
        assertErrno(Errno.EISDIR, () -> sys.open(dir, O_RDWR, 0));
        try (FileHandle d = sys.open(dir, O_RDONLY | O_DIRECTORY, 0)) {
            assertThat(sys.fsync(d)).isZero();
            assertThat(sys.fstat(d).isDirectory()).isTrue();
            assertErrno(Errno.EISDIR, () -> sys.read(d, ByteBuffer.allocate(8)));
        }
    }

    /** O_DIRECTORY on a regular file fails with ENOTDIR. */
    @Test
    void openDirectoryFlagOnFileFailsWithEnotdir() throws Exception {
        Path p = file("plain", "x");
        assertErrno(Errno.ENOTDIR, () -> sys.open(p, O_RDONLY | O_DIRECTORY, 0));
        assertErrno(Errno.ENOTDIR, () -> sys.open(p.resolve("below"), O_RDONLY, 0));
    }

    /** O_NOFOLLOW on a symlink fails with ELOOP; a symlink loop fails with ELOOP. */
    @Test
    void openSymlinkWithNoFollowAndSymlinkLoopFailWithEloop() throws Exception {
        Path target = file("target", "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertErrno(Errno.ELOOP, () -> sys.open(link, O_RDONLY | O_NOFOLLOW, 0));
        sys.close(sys.open(link, O_RDONLY, 0));
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertErrno(Errno.ELOOP, () -> sys.open(a, O_RDONLY, 0));
    }

    /** A 300-byte name fails with ENAMETOOLONG. */
    @Test
    void openOfOverlongNameFailsWithEnametoolong() {
        assertErrno(Errno.ENAMETOOLONG, () -> sys.open(dir.resolve("n".repeat(300)), O_CREAT | O_WRONLY, 0644));
    }

    /** A NUL byte in a name fails with ENOENT (never cut off); the empty name too. */
    @Test
    void nulByteAndEmptyNameFailWithEnoent() throws Exception {
        file("cut", "x");
        assertErrno(Errno.ENOENT, () -> sys.path(dir + "/cut\0tail"));
        assertErrno(Errno.ENOENT, () -> sys.path(""));
        assertErrno(Errno.ENOENT, () -> sys.open(Path.of(""), O_RDONLY, 0));
        assertThat(sys.path(dir + "/cut")).isEqualTo(dir.resolve("cut"));
    }

    /** O_TRUNC truncates, also with O_RDONLY (as Linux does). */
    @Test
    void openTruncTruncates() throws Exception {
        Path p = file("trunc", "content");
        sys.close(sys.open(p, O_WRONLY | O_TRUNC, 0));
        assertThat(Files.size(p)).isZero();
        Files.writeString(p, "again");
        sys.close(sys.open(p, O_RDONLY | O_TRUNC, 0));
        assertThat(Files.size(p)).isZero();
    }

    /** Invalid flags fail with EINVAL: O_CREAT|O_DIRECTORY (as Linux 6.4+). */
    @Test
    void invalidFlagCombinationFailsWithEinval() {
        assertErrno(Errno.EINVAL, () -> sys.open(dir.resolve("x"), O_CREAT | O_DIRECTORY | O_RDONLY, 0700));
    }

    /** Flags without effect on the result (O_CLOEXEC, O_NOATIME, O_SYNC, O_DSYNC) are accepted. */
    @Test
    void harmlessFlagsAreAccepted() throws Exception {
        Path p = file("flags", "abc");
        try (FileHandle f = sys.open(p, O_RDWR | O_CLOEXEC | O_NOATIME | O_SYNC, 0)) {
            assertThat(sys.pwrite(f, bytes("X"), 0)).isEqualTo(1);
        }
        try (FileHandle f = sys.open(p, O_RDWR | O_DSYNC, 0)) {
            assertThat(read(f, 0, 3)).isEqualTo("Xbc");
        }
    }

    // ---------------------------------------------------------------- position

    /** read and write without an offset use and advance the file position; pread/pwrite leave it. */
    @Test
    void positionlessReadAndWriteAdvanceThePosition() throws Exception {
        Path p = file("pos", "0123456789");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            assertThat(sys.read(f, b)).isEqualTo(4);
            assertThat(new String(b.array(), UTF_8)).isEqualTo("0123");
            assertThat(sys.lseek(f, 0, SEEK_CUR)).isEqualTo(4);
            assertThat(sys.pread(f, ByteBuffer.allocate(3), 0)).isEqualTo(3);
            assertThat(sys.lseek(f, 0, SEEK_CUR)).isEqualTo(4);
            assertThat(sys.write(f, bytes("ab"))).isEqualTo(2);
            assertThat(sys.lseek(f, 0, SEEK_CUR)).isEqualTo(6);
            assertThat(sys.pwrite(f, bytes("Z"), 9)).isEqualTo(1);
            assertThat(sys.lseek(f, 0, SEEK_CUR)).isEqualTo(6);
        }
        assertThat(Files.readString(p)).isEqualTo("0123ab678Z");
    }

    /** read at the end of the file returns 0 (not -1); pread past it too. */
    @Test
    void readAtEndOfFileReturnsZero() throws Exception {
        Path p = file("eof", "ab");
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            assertThat(sys.pread(f, ByteBuffer.allocate(4), 2)).isZero();
            assertThat(sys.pread(f, ByteBuffer.allocate(4), 100)).isZero();
            sys.lseek(f, 0, SEEK_END);
            assertThat(sys.read(f, ByteBuffer.allocate(4))).isZero();
        }
    }

    /** lseek SET/CUR/END return the new offset; a negative result is EINVAL; a bad whence EINVAL. */
    @Test
    void lseekMovesThePositionAndRejectsNegativeResults() throws Exception {
        Path p = file("seek", "0123456789");
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            assertThat(sys.lseek(f, 3, SEEK_SET)).isEqualTo(3);
            assertThat(sys.lseek(f, 2, SEEK_CUR)).isEqualTo(5);
            assertThat(sys.lseek(f, -1, SEEK_END)).isEqualTo(9);
            assertThat(sys.lseek(f, 20, SEEK_SET)).isEqualTo(20);
            assertErrno(Errno.EINVAL, () -> sys.lseek(f, -1, SEEK_SET));
            assertErrno(Errno.EINVAL, () -> sys.lseek(f, -11, SEEK_END));
            assertErrno(Errno.EINVAL, () -> sys.lseek(f, 0, 99));
            assertThat(sys.lseek(f, 0, SEEK_CUR)).isEqualTo(20);
        }
    }

    /** SEEK_DATA returns the offset and SEEK_HOLE the end inside the file; at or past the end both are ENXIO. */
    @Test
    void seekDataAndHoleFollowTheNoHoleModel() throws Exception {
        Path p = file("holes", "0123456789");
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            assertThat(sys.lseek(f, 4, SEEK_DATA)).isEqualTo(4);
            assertThat(sys.lseek(f, 4, SEEK_HOLE)).isEqualTo(10);
            assertErrno(Errno.ENXIO, () -> sys.lseek(f, 10, SEEK_DATA));
            assertErrno(Errno.ENXIO, () -> sys.lseek(f, 11, SEEK_HOLE));
        }
    }

    /** read on a write-only file and write on a read-only file fail with EBADF. */
    @Test
    void ioAgainstTheAccessModeFailsWithEbadf() throws Exception {
        Path p = file("mode-io", "abc");
        try (FileHandle w = sys.open(p, O_WRONLY, 0); FileHandle r = sys.open(p, O_RDONLY, 0)) {
            assertErrno(Errno.EBADF, () -> sys.read(w, ByteBuffer.allocate(1)));
            assertErrno(Errno.EBADF, () -> sys.pread(w, ByteBuffer.allocate(1), 0));
            assertErrno(Errno.EBADF, () -> sys.write(r, bytes("x")));
            assertErrno(Errno.EBADF, () -> sys.pwrite(r, bytes("x"), 0));
            assertErrno(Errno.EINVAL, () -> sys.pread(r, ByteBuffer.allocate(1), -1));
        }
    }

    /** With O_APPEND every write goes to the end, pwrite included (as Linux), and O_RDWR|O_APPEND still reads. */
    @Test
    void appendWritesGoToTheEnd() throws Exception {
        Path p = file("append", "abc");
        try (FileHandle f = sys.open(p, O_WRONLY | O_APPEND, 0)) {
            sys.write(f, bytes("d"));
            sys.pwrite(f, bytes("e"), 0);
        }
        assertThat(Files.readString(p)).isEqualTo("abcde");
        try (FileHandle f = sys.open(p, O_RDWR | O_APPEND, 0)) {
            ByteBuffer b = ByteBuffer.allocate(2);
            assertThat(sys.read(f, b)).isEqualTo(2);
            assertThat(new String(b.array(), UTF_8)).isEqualTo("ab");
            sys.write(f, bytes("f"));
            assertThat(sys.lseek(f, 0, SEEK_CUR)).as("offset after an append").isEqualTo(6);
            assertThat(read(f, 0, 10)).isEqualTo("abcdef");
        }
    }

    // ---------------------------------------------------------------- closing

    /** A closed file fails every call with EBADF; a second close request is EBADF; AioFile.close() is idempotent. */
    @Test
    void closedFileFailsWithEbadf() throws Exception {
        Path p = file("closed", "abc");
        FileHandle f = sys.open(p, O_RDWR, 0);
        assertThat(f.isOpen()).isTrue();
        assertThat(sys.close(f)).isZero();
        assertThat(f.isOpen()).isFalse();
        assertErrno(Errno.EBADF, () -> sys.close(f));
        assertErrno(Errno.EBADF, () -> sys.pread(f, ByteBuffer.allocate(1), 0));
        assertErrno(Errno.EBADF, () -> sys.read(f, ByteBuffer.allocate(1)));
        assertErrno(Errno.EBADF, () -> sys.write(f, bytes("x")));
        assertErrno(Errno.EBADF, () -> sys.lseek(f, 0, SEEK_SET));
        assertErrno(Errno.EBADF, () -> sys.fstat(f));
        assertErrno(Errno.EBADF, () -> sys.fsync(f));
        assertErrno(Errno.EBADF, () -> sys.ftruncate(f, 0));
        assertErrno(Errno.EBADF, () -> sys.fchmod(f, 0600));
        assertErrno(Errno.EBADF, () -> sys.futime(f, null, null));
        AioFile asPublic = f;
        assertThatCode(asPublic::close).doesNotThrowAnyException();
    }

    /** AioFile.close() closes the file; a close request afterwards is EBADF. */
    @Test
    void aioFileCloseClosesOnce() throws Exception {
        FileHandle f = sys.open(file("closable", "x"), O_RDONLY, 0);
        AioFile asPublic = f;
        asPublic.close();
        assertThat(asPublic.isOpen()).isFalse();
        assertErrno(Errno.EBADF, () -> sys.close(f));
        assertErrno(Errno.EBADF, () -> sys.fstat(f));
    }

    /** A handle the layer did not open is rejected with EBADF. */
    @Test
    void foreignHandleFailsWithEbadf() {
        FileHandle foreign = new FileHandle(dir, O_RDONLY) {
            @Override
            protected void release() {}
        };
        assertErrno(Errno.EBADF, () -> sys.fstat(foreign));
        assertErrno(Errno.EBADF, () -> sys.close(foreign));
    }

    /** Closing a file while another thread is blocked on it makes that call fail with EBADF, not hang. */
    @Test
    void closeDuringAPendingCallFailsItWithEbadf() throws Exception {
        Path p = file("big", "x".repeat(1 << 20));
        FileHandle f = sys.open(p, O_RDONLY, 0);
        CountDownLatch started = new CountDownLatch(1);
        int[] outcome = {0};
        Thread reader = new Thread(() -> {
            started.countDown();
            try {
                while (true) {
                    sys.pread(f, ByteBuffer.allocate(4096), 0);
                }
            } catch (SyscallException e) {
                outcome[0] = e.errno();
            }
        });
        reader.start();
        started.await();
        sys.close(f);
        reader.join();
        assertThat(Errno.describe(outcome[0])).isEqualTo(Errno.describe(Errno.EBADF.code()));
    }

    /** A stale interrupt does not close the file: the call succeeds and the interrupt is kept. */
    @Test
    void staleInterruptDoesNotCloseTheFile() throws Exception {
        Path p = file("interrupt", "abc");
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            Thread.currentThread().interrupt();
            assertThat(sys.pread(f, ByteBuffer.allocate(3), 0)).isEqualTo(3);
            assertThat(Thread.interrupted()).isTrue();
            assertThat(f.isOpen()).isTrue();
            assertThat(sys.pread(f, ByteBuffer.allocate(3), 0)).isEqualTo(3);
        }
    }

    // ---------------------------------------------------------------- sendfile, readahead

    /** sendfile copies from the input offset to the output position, advancing only the output's. */
    @Test
    void sendfileCopiesAndAdvancesOnlyTheOutputPosition() throws Exception {
        Path in = file("in", "0123456789");
        Path out = dir.resolve("out");
        try (FileHandle i = sys.open(in, O_RDONLY, 0); FileHandle o = sys.open(out, O_CREAT | O_WRONLY, 0644)) {
            sys.lseek(o, 2, SEEK_SET);
            assertThat(sys.sendfile(o, i, 3, 4)).isEqualTo(4);
            assertThat(sys.lseek(o, 0, SEEK_CUR)).isEqualTo(6);
            assertThat(sys.lseek(i, 0, SEEK_CUR)).isZero();
            assertThat(sys.sendfile(o, i, 100, 4)).isZero();
            assertErrno(Errno.EBADF, () -> sys.sendfile(i, o, 0, 1));
            assertErrno(Errno.EINVAL, () -> sys.sendfile(o, i, -1, 1));
        }
        assertThat(Files.readAllBytes(out)).containsExactly(0, 0, '3', '4', '5', '6');
    }

    /** readahead returns 0, leaves the position, needs a readable file (EBADF) and a file, not a directory (EINVAL). */
    @Test
    void readaheadReadsWithoutMovingThePosition() throws Exception {
        Path p = file("ra", "x".repeat(100_000));
        try (FileHandle f = sys.open(p, O_RDONLY, 0)) {
            sys.lseek(f, 5, SEEK_SET);
            assertThat(sys.readahead(f, 1000, 50_000)).isZero();
            assertThat(sys.readahead(f, 200_000, 10)).isZero();
            assertThat(sys.readahead(f, 0, Long.MAX_VALUE)).isZero();
            assertThat(sys.lseek(f, 0, SEEK_CUR)).isEqualTo(5);
        }
        try (FileHandle w = sys.open(p, O_WRONLY, 0); FileHandle d = sys.open(dir, O_RDONLY, 0)) {
            assertErrno(Errno.EBADF, () -> sys.readahead(w, 0, 10));
            assertErrno(Errno.EINVAL, () -> sys.readahead(d, 0, 10));
        }
    }

    // ---------------------------------------------------------------- sizes

    /** ftruncate grows with zeros and shrinks, keeping the file position; it needs write access (EINVAL). */
    @Test
    void ftruncateGrowsAndShrinksKeepingThePosition() throws Exception {
        Path p = file("ftrunc", "abcdef");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            sys.lseek(f, 5, SEEK_SET);
            assertThat(sys.ftruncate(f, 2)).isZero();
            assertThat(Files.readString(p)).isEqualTo("ab");
            assertThat(sys.lseek(f, 0, SEEK_CUR)).isEqualTo(5);
            assertThat(sys.ftruncate(f, 8)).isZero();
            assertThat(Files.readAllBytes(p)).containsExactly('a', 'b', 0, 0, 0, 0, 0, 0);
            assertThat(sys.fstat(f).size()).isEqualTo(8);
            assertErrno(Errno.EINVAL, () -> sys.ftruncate(f, -1));
        }
        try (FileHandle r = sys.open(p, O_RDONLY, 0)) {
            assertErrno(Errno.EINVAL, () -> sys.ftruncate(r, 0));
        }
        try (FileHandle a = sys.open(p, O_WRONLY | O_APPEND, 0)) {
            assertThat(sys.ftruncate(a, 10)).isZero();
            assertThat(Files.size(p)).isEqualTo(10);
        }
    }

    /** truncate by path grows and shrinks; a missing file is ENOENT, a directory EISDIR, a negative size EINVAL. */
    @Test
    void truncateByPathGrowsAndShrinks() throws Exception {
        Path p = file("trunc-path", "abcdef");
        assertThat(sys.truncate(p, 3)).isZero();
        assertThat(Files.readString(p)).isEqualTo("abc");
        assertThat(sys.truncate(p, 1 << 20)).isZero();
        assertThat(Files.size(p)).isEqualTo(1 << 20);
        assertThat(sys.truncate(p, 0)).isZero();
        assertThat(Files.size(p)).isZero();
        assertErrno(Errno.ENOENT, () -> sys.truncate(dir.resolve("missing"), 0));
        assertErrno(Errno.EISDIR, () -> sys.truncate(dir, 0));
        assertErrno(Errno.EINVAL, () -> sys.truncate(p, -1));
    }

    /** fallocate mode 0 extends the file to cover the range and keeps existing data; bad arguments fail as fallocate(2). */
    @Test
    void fallocateModeZeroExtendsAndKeepsData() throws Exception {
        Path p = file("alloc", "data");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            assertThat(sys.fallocate(f, 0, 2, 20_000)).isZero();
            assertThat(Files.size(p)).isEqualTo(20_002);
            assertThat(read(f, 0, 4)).isEqualTo("data");
            assertThat(sys.fallocate(f, 0, 0, 10)).isZero();
            assertThat(Files.size(p)).isEqualTo(20_002);
            assertErrno(Errno.EOPNOTSUPP, () -> sys.fallocate(f, 0x1000, 0, 10));
            assertErrno(Errno.EINVAL, () -> sys.fallocate(f, 0, 0, 0));
            assertErrno(Errno.EINVAL, () -> sys.fallocate(f, 0, -1, 10));
        }
        try (FileHandle r = sys.open(p, O_RDONLY, 0)) {
            assertErrno(Errno.EBADF, () -> sys.fallocate(r, 0, 0, 10));
        }
    }

    // ---------------------------------------------------------------- sync

    /** fsync and fdatasync succeed; sync_file_range rejects a negative offset with EINVAL. */
    @Test
    void syncCallsSucceed() throws Exception {
        Path p = file("sync", "x");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            assertThat(sys.fsync(f)).isZero();
            assertThat(sys.fdatasync(f)).isZero();
            assertErrno(Errno.EINVAL, () -> sys.syncFileRange(f, -1, 0, SYNC_FILE_RANGE_WRITE));
        }
    }

    // ---------------------------------------------------------------- fstat

    /** fstat reports the opened file, with its current size. */
    @Test
    void fstatReportsTheOpenedFile() throws Exception {
        Path p = file("fstat", "abc");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            FileStat byPath = sys.stat(p);
            FileStat byHandle = sys.fstat(f);
            assertThat(byHandle.ino()).isEqualTo(byPath.ino());
            assertThat(byHandle.dev()).isEqualTo(byPath.dev());
            sys.pwrite(f, bytes("defg"), 3);
            assertThat(sys.fstat(f).size()).isEqualTo(7);
        }
    }

    // ---------------------------------------------------------------- mappings

    /** msync(MS_SYNC) writes a mapping's range back; bad flags are EINVAL, a range outside the buffer ENOMEM. */
    @Test
    void msyncWritesTheMappingBack() throws Exception {
        Path p = file("mapped", "0123456789");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, 10);
            m.put(2, (byte) 'X');
            assertThat(sys.msync(m, 0, 10, MS_SYNC)).isZero();
            assertThat(sys.msync(m, 0, 10, MS_ASYNC)).isZero();
            assertThat(Files.readString(p)).isEqualTo("01X3456789");
            assertErrno(Errno.EINVAL, () -> sys.msync(m, 0, 10, MS_SYNC | MS_ASYNC));
            assertErrno(Errno.EINVAL, () -> sys.msync(m, 0, 10, 64));
            assertErrno(Errno.EINVAL, () -> sys.msync(m, -1, 10, MS_SYNC));
            assertErrno(Errno.ENOMEM, () -> sys.msync(m, 5, 6, MS_SYNC));
        }
    }

    /** mtouch reads (or with MT_MODIFY rewrites) every page without changing content; MT_MODIFY on read-only is EFAULT. */
    @Test
    void mtouchTouchesPagesWithoutChangingThem() throws Exception {
        byte[] content = new byte[3 * 4096 + 17];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        Path p = dir.resolve("touched");
        Files.write(p, content);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, content.length);
            assertThat(sys.mtouch(m, 0, content.length, 0)).isZero();
            assertThat(sys.mtouch(m, 100, 5000, MT_MODIFY)).isZero();
            assertThat(sys.mtouch(m, 0, 0, 0)).isZero();
            assertErrno(Errno.ENOMEM, () -> sys.mtouch(m, 0, content.length + 1, 0));
            assertErrno(Errno.EINVAL, () -> sys.mtouch(m, 0, 1, 2));
            MappedByteBuffer ro = ch.map(FileChannel.MapMode.READ_ONLY, 0, content.length);
            assertThat(sys.mtouch(ro, 0, content.length, 0)).isZero();
            assertErrno(Errno.EFAULT, () -> sys.mtouch(ro, 0, 10, MT_MODIFY));
        }
        assertThat(Files.readAllBytes(p)).isEqualTo(content);
    }

    /** AioFile.close() of a handle whose release fails reports an AioException, and the handle is closed. */
    @Test
    void aioFileCloseReportsReleaseFailureAsAioException() {
        FileHandle failing = new FileHandle(dir, O_RDONLY) {
            @Override
            protected void release() throws SyscallException {
                throw new SyscallException(Errno.EIO);
            }
        };
        AioFile asPublic = failing;
        try {
            asPublic.close();
            throw new AssertionError("expected AioException");
        } catch (AioException e) {
            assertThat(e.errno()).isEqualTo(Errno.EIO.code());
            assertThat(e.operation()).isEqualTo("close");
        }
        assertThat(asPublic.isOpen()).isFalse();
    }
}
