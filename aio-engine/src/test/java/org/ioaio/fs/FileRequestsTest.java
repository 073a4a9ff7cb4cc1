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

package org.ioaio.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ioaio.AioConstants.O_APPEND;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.SEEK_CUR;
import static org.ioaio.AioConstants.SEEK_DATA;
import static org.ioaio.AioConstants.SEEK_END;
import static org.ioaio.AioConstants.SEEK_HOLE;
import static org.ioaio.AioConstants.SEEK_SET;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.ok;
import static org.ioaio.fs.FsTesting.sh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioRequest;
import org.ioaio.AioResult;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.fs.FsTesting.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** aio_open, aio_close, aio_seek, aio_read, aio_write, aio_sendfile, aio_readahead, aio_slurp and aio_load, from the manual. */
@ExtendWith(EngineInvariants.class)
class FileRequestsTest {

    @TempDir
    Path dir;

    private static AioFile open(AioEngine aio, Path p, int flags) {
        return await(aio, aio.open(p, flags, 0));
    }

    /** The file's current position, by aio_seek(0, SEEK_CUR). */
    private static long position(AioEngine aio, AioFile f) {
        return await(aio, aio.seek(f, 0, SEEK_CUR));
    }

    // ---------------------------------------------------------------- open

    // aio_open: "open or create a file ... $mode specifies the mode of the newly created file ... modified by the umask".
    @Test
    void openCreatesWithModeMinusUmaskInBothForms() throws Exception {
        int umask = FsTesting.umask();
        try (AioEngine aio = FsTesting.engine()) {
            Path a = dir.resolve("a");
            Outcome<AioFile> o = callback(aio, cb -> aio.open(a, O_CREAT | O_EXCL | O_RDWR, 0666, cb));
            try (AioFile f = ok(o)) {
                assertThat(o.status()).isZero();
                assertThat(f.isOpen()).isTrue();
                assertThat(f.path()).isEqualTo(a);
                assertThat(f.flags() & (O_CREAT | O_RDWR)).isEqualTo(O_CREAT | O_RDWR);
            }
            assertThat(Integer.parseInt(sh("stat", "-c", "%a", a.toString()), 8)).isEqualTo(0666 & ~umask);
            assertThat(sh("stat", "-c", "%F %s", a.toString())).isEqualTo("regular empty file 0");

            Path b = dir.resolve("b");
            try (AioFile f = await(aio, aio.open(b, O_CREAT | O_WRONLY, 0640))) {
                assertThat(f.isOpen()).isTrue();
            }
            assertThat(Integer.parseInt(sh("stat", "-c", "%a", b.toString()), 8)).isEqualTo(0640 & ~umask);
        }
    }

    // aio_open: flags "are the same as used by sysopen": O_TRUNC empties, O_APPEND writes at the end.
    @Test
    void openHonoursTruncAndAppend() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = FsTesting.engine()) {
            try (AioFile f = open(aio, p, O_WRONLY | O_TRUNC)) {
                assertThat(Files.size(p)).isZero();
                await(aio, aio.write(f, null, ByteBuffer.wrap("abc".getBytes(UTF_8))));
            }
            try (AioFile f = open(aio, p, O_WRONLY | O_APPEND)) {
                assertThat(await(aio, aio.write(f, 0L, ByteBuffer.wrap("XY".getBytes(UTF_8))))).isEqualTo(2);
            }
            assertThat(Files.readString(p)).as("O_APPEND writes at the end even with an offset, as Linux").isEqualTo("abcXY");
            try (AioFile f = open(aio, p, O_RDONLY | O_TRUNC)) {
                assertThat(Files.size(p)).as("Linux truncates on O_RDONLY|O_TRUNC too").isZero();
                assertThat(f.isOpen()).isTrue();
            }
            Path setuid = dir.resolve("setuid");
            try (AioFile f = await(aio, aio.open(setuid, O_CREAT | O_EXCL | O_WRONLY, 04755))) {
                assertThat(f.isOpen()).isTrue();
            }
            assertThat(sh("stat", "-c", "%a", setuid.toString())).as("set-id bits of the creation mode").isEqualTo(
                    Integer.toOctalString(04755 & ~FsTesting.umask()));
        }
    }

    // aio_open errors, as open(2): ENOENT, EEXIST, ENOTDIR, EISDIR, ELOOP, EINVAL.
    @Test
    void openErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file.getFileName());
        Path loop1 = dir.resolve("loop1");
        Files.createSymbolicLink(loop1, Path.of("loop2"));
        Files.createSymbolicLink(dir.resolve("loop2"), Path.of("loop1"));
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "open", missing, () -> aio.open(missing, O_RDONLY, 0), cb -> aio.open(missing, O_RDONLY, 0, cb));
            assertFails(aio, Errno.EEXIST, "open", file, () -> aio.open(file, O_CREAT | O_EXCL | O_WRONLY, 0644),
                    cb -> aio.open(file, O_CREAT | O_EXCL | O_WRONLY, 0644, cb));
            assertFails(aio, Errno.ENOTDIR, "open", under, () -> aio.open(under, O_RDONLY, 0), cb -> aio.open(under, O_RDONLY, 0, cb));
            assertFails(aio, Errno.ENOTDIR, "open", file, () -> aio.open(file, O_RDONLY | O_DIRECTORY, 0),
                    cb -> aio.open(file, O_RDONLY | O_DIRECTORY, 0, cb));
            assertFails(aio, Errno.EISDIR, "open", sub, () -> aio.open(sub, O_RDWR, 0), cb -> aio.open(sub, O_RDWR, 0, cb));
            assertFails(aio, Errno.EISDIR, "open", sub, () -> aio.open(sub, O_WRONLY, 0), cb -> aio.open(sub, O_WRONLY, 0, cb));
            assertFails(aio, Errno.ELOOP, "open", link, () -> aio.open(link, O_RDONLY | O_NOFOLLOW, 0),
                    cb -> aio.open(link, O_RDONLY | O_NOFOLLOW, 0, cb));
            assertFails(aio, Errno.ELOOP, "open", loop1, () -> aio.open(loop1, O_RDONLY, 0), cb -> aio.open(loop1, O_RDONLY, 0, cb));
            Path made = dir.resolve("made");
            assertFails(aio, Errno.EINVAL, "open", made, () -> aio.open(made, O_CREAT | O_DIRECTORY | O_RDWR, 0644),
                    cb -> aio.open(made, O_CREAT | O_DIRECTORY | O_RDWR, 0644, cb));
            assertThat(Files.exists(made)).isFalse();
            assertThat(Files.readString(file)).isEqualTo("x");
        }
    }

    // aio_open of a directory read-only works (as open(2)); the handle can be stat'ed and closed.
    @Test
    void openDirectoryReadOnly() throws Exception {
        try (AioEngine aio = FsTesting.engine(); AioFile d = open(aio, dir, O_RDONLY | O_DIRECTORY)) {
            assertThat(await(aio, aio.stat(d)).isDirectory()).isTrue();
        }
    }

    /** Descriptors of this process open on {@code p} (from /proc/self/fd). */
    private static long descriptorsOn(Path p) throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(p);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    /** Waits (parking, no sleep) until the request has been executed and waits for pollCb. */
    private static void awaitPending(AioRequest r) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (r.state() != AioRequest.State.PENDING) {
            assertThat(System.nanoTime() - deadline).as("request never became PENDING: %s", r).isNegative();
            LockSupport.parkNanos(100_000);
        }
    }

    /** Closes the file a request opened if nobody did (test cleanup only: a request is its own AioResult). */
    private static void closeLeaked(AioRequest r) throws Exception {
        if (r instanceof AioResult<?> res && res.value() instanceof AioFile f) {
            f.close();
        }
    }

    // An open cancelled after it executed never reaches its callback ("the callback is never called"), so nobody else
    // can close the file it opened: the engine must, or every such cancel leaks a descriptor.
    @Test
    void openCancelledAfterItExecutedClosesTheFileItOpened() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = AioEngine.builder().minParallel(1).backend(AioBackend.NIO).build()) {
            AtomicInteger calls = new AtomicInteger();
            AioRequest r = aio.open(p, O_RDONLY, 0, res -> calls.incrementAndGet());
            awaitPending(r);
            assertThat(descriptorsOn(p)).as("executed: the file is open").isEqualTo(1);
            r.cancel();
            aio.flush();
            try {
                assertThat(calls.get()).isZero();
                assertThat(aio.nreqs()).isZero();
                assertThat(descriptorsOn(p)).as("descriptors left open by the cancelled open").isZero();
            } finally {
                closeLeaked(r);
            }
        }
    }

    // The future form: cancelling the future of an executed open cancels the request; the file it opened is closed.
    @Test
    void openFutureCancelledAfterItExecutedClosesTheFileItOpened() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = AioEngine.builder().minParallel(1).backend(AioBackend.NIO).build()) {
            AioFuture<AioFile> f = aio.open(p, O_RDONLY, 0);
            awaitPending(f.request());
            f.cancel(false);
            aio.flush();
            try {
                assertThat(f).isCancelled();
                assertThat(descriptorsOn(p)).as("descriptors left open by the cancelled open").isZero();
            } finally {
                closeLeaked(f.request());
            }
        }
    }

    // ---------------------------------------------------------------- close

    // aio_close: "close a file and call the callback with the result code"; a closed file gives EBADF.
    @Test
    void closeThenEveryRequestOnTheFileIsEbadf() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "data");
        try (AioEngine aio = FsTesting.engine()) {
            AioFile f = open(aio, p, O_RDWR);
            Outcome<Void> o = callback(aio, cb -> aio.close(f, cb));
            assertThat(o.status()).isZero();
            assertThat(o.errno()).isZero();
            assertThat(f.isOpen()).isFalse();
            assertFails(aio, Errno.EBADF, "close", f, () -> aio.close(f), cb -> aio.close(f, cb));
            assertFails(aio, Errno.EBADF, "read", f, () -> aio.read(f, 0L, ByteBuffer.allocate(1)), cb -> aio.read(f, 0L, ByteBuffer.allocate(1), cb));
            assertFails(aio, Errno.EBADF, "write", f, () -> aio.write(f, null, ByteBuffer.allocate(1)),
                    cb -> aio.write(f, null, ByteBuffer.allocate(1), cb));
            assertFails(aio, Errno.EBADF, "seek", f, () -> aio.seek(f, 0, SEEK_SET), cb -> aio.seek(f, 0, SEEK_SET, cb));
            assertFails(aio, Errno.EBADF, "readahead", f, () -> aio.readahead(f, 0, 10), cb -> aio.readahead(f, 0, 10, cb));
            assertFails(aio, Errno.EBADF, "stat", f, () -> aio.stat(f), cb -> aio.stat(f, cb));
            assertFails(aio, Errno.EBADF, "statvfs", f, () -> aio.statvfs(f), cb -> aio.statvfs(f, cb));
            assertFails(aio, Errno.EBADF, "utime", f, () -> aio.utime(f, 1.0, 1.0), cb -> aio.utime(f, 1.0, 1.0, cb));
            assertFails(aio, Errno.EBADF, "chown", f, () -> aio.chown(f, 0, 0), cb -> aio.chown(f, 0, 0, cb));
            assertFails(aio, Errno.EBADF, "chmod", f, () -> aio.chmod(f, 0600), cb -> aio.chmod(f, 0600, cb));
            assertFails(aio, Errno.EBADF, "truncate", f, () -> aio.truncate(f, 0), cb -> aio.truncate(f, 0, cb));
            assertFails(aio, Errno.EBADF, "allocate", f, () -> aio.allocate(f, 0, 0, 10), cb -> aio.allocate(f, 0, 0, 10, cb));
            assertFails(aio, Errno.EBADF, "fsync", f, () -> aio.fsync(f), cb -> aio.fsync(f, cb));
            assertFails(aio, Errno.EBADF, "fdatasync", f, () -> aio.fdatasync(f), cb -> aio.fdatasync(f, cb));
            assertFails(aio, Errno.EBADF, "syncfs", f, () -> aio.syncfs(f), cb -> aio.syncfs(f, cb));
            assertFails(aio, Errno.EBADF, "sync_file_range", f, () -> aio.syncFileRange(f, 0, 0, 0),
                    cb -> aio.syncFileRange(f, 0, 0, 0, cb));
            try (AioFile other = open(aio, p, O_RDWR)) {
                assertFails(aio, Errno.EBADF, "sendfile", f, () -> aio.sendfile(other, f, 0, 1), cb -> aio.sendfile(other, f, 0, 1, cb));
                assertFails(aio, Errno.EBADF, "sendfile", other, () -> aio.sendfile(f, other, 0, 1), cb -> aio.sendfile(f, other, 0, 1, cb));
            }
            assertThat(Files.readString(p)).isEqualTo("data");
        }
    }

    // AioFile.close after a close request does nothing (try-with-resources stays safe); the future form closes too.
    @Test
    void closeFutureForm() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "data");
        try (AioEngine aio = FsTesting.engine()) {
            try (AioFile f = open(aio, p, O_RDONLY)) {
                assertThat(await(aio, aio.close(f))).isNull();
                assertThat(f.isOpen()).isFalse();
            }
        }
    }

    // ---------------------------------------------------------------- seek

    // aio_seek: "The resulting absolute offset will be passed to the callback, or -1 in case of an error"; SEEK_SET/CUR/END.
    @Test
    void seekSetCurEndReturnTheAbsoluteOffset() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = FsTesting.engine(); AioFile f = open(aio, p, O_RDONLY)) {
            Outcome<Long> set = callback(aio, cb -> aio.seek(f, 3, SEEK_SET, cb));
            assertThat(ok(set)).isEqualTo(3L);
            assertThat(set.status()).isEqualTo(3);
            assertThat(await(aio, aio.seek(f, 2, SEEK_CUR))).isEqualTo(5L);
            byte[] b = new byte[2];
            assertThat(await(aio, aio.read(f, null, 2, b, 0))).isEqualTo(2);
            assertThat(new String(b, UTF_8)).as("a position-less read starts where seek left the position").isEqualTo("56");
            assertThat(await(aio, aio.seek(f, -1, SEEK_END))).isEqualTo(9L);
            assertThat(await(aio, aio.seek(f, 100, SEEK_SET))).as("past the end is allowed").isEqualTo(100L);
            assertThat(await(aio, aio.seek(f, -4, SEEK_CUR))).isEqualTo(96L);
        }
    }

    // aio_seek with SEEK_DATA/SEEK_HOLE (GNU/Linux): data at an offset inside the file, a hole at its end, ENXIO past it.
    @Test
    void seekDataAndHole() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = FsTesting.engine(); AioFile f = open(aio, p, O_RDONLY)) {
            assertThat(await(aio, aio.seek(f, 2, SEEK_DATA))).isEqualTo(2L);
            assertThat(await(aio, aio.seek(f, 1, SEEK_HOLE))).isEqualTo(10L);
            assertFails(aio, Errno.ENXIO, "seek", f, () -> aio.seek(f, 10, SEEK_DATA), cb -> aio.seek(f, 10, SEEK_DATA, cb));
        }
    }

    // aio_seek errors, as lseek(2): a negative result or an unknown whence is EINVAL, and the position stays.
    @Test
    void seekErrorsInBothForms() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = FsTesting.engine(); AioFile f = open(aio, p, O_RDONLY)) {
            await(aio, aio.seek(f, 4, SEEK_SET));
            assertFails(aio, Errno.EINVAL, "seek", f, () -> aio.seek(f, -1, SEEK_SET), cb -> aio.seek(f, -1, SEEK_SET, cb));
            assertFails(aio, Errno.EINVAL, "seek", f, () -> aio.seek(f, -5, SEEK_CUR), cb -> aio.seek(f, -5, SEEK_CUR, cb));
            assertFails(aio, Errno.EINVAL, "seek", f, () -> aio.seek(f, 0, 9), cb -> aio.seek(f, 0, 9, cb));
            assertThat(position(aio, f)).isEqualTo(4);
        }
    }

    // ---------------------------------------------------------------- read

    // aio_read: "If $offset is undefined, then the current file descriptor offset will be used (and updated),
    // otherwise the file descriptor offset will not be changed".
    @Test
    void readWithoutOffsetMovesThePositionWithOffsetDoesNot() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abcdefghij");
        try (AioEngine aio = FsTesting.engine(); AioFile f = open(aio, p, O_RDONLY)) {
            ByteBuffer b = ByteBuffer.allocate(3);
            Outcome<Integer> o = callback(aio, cb -> aio.read(f, null, b, cb));
            assertThat(ok(o)).isEqualTo(3);
            assertThat(o.status()).isEqualTo(3);
            assertThat(b.position()).as("the buffer's position advances").isEqualTo(3);
            assertThat(new String(b.array(), UTF_8)).isEqualTo("abc");
            assertThat(position(aio, f)).isEqualTo(3);

            ByteBuffer c = ByteBuffer.allocate(4);
            assertThat(await(aio, aio.read(f, 6L, c))).isEqualTo(4);
            assertThat(new String(c.array(), UTF_8)).isEqualTo("ghij");
            assertThat(position(aio, f)).as("a read at an offset leaves the position").isEqualTo(3);

            byte[] data = new byte[2];
            assertThat(await(aio, aio.read(f, null, 2, data, 0))).isEqualTo(2);
            assertThat(new String(data, UTF_8)).isEqualTo("de");
            assertThat(position(aio, f)).isEqualTo(5);
        }
    }

    // aio_read: "reads $length bytes ... into the scalar given by $data and offset $dataoffset";
    // "If $dataoffset is less than zero, it will be counted from the end of $data".
    @Test
    void readIntoArrayAtDataOffsetNegativeCountsFromTheEnd() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abcdefghij");
        try (AioEngine aio = FsTesting.engine(); AioFile f = open(aio, p, O_RDONLY)) {
            byte[] data = "..........".getBytes(UTF_8);
            Outcome<Integer> o = callback(aio, cb -> aio.read(f, 7L, 15, new byte[20], 5, cb));
            assertThat(ok(o)).as("only 3 bytes left at offset 7").isEqualTo(3);
            assertThat(await(aio, aio.read(f, 0L, 3, data, -4))).isEqualTo(3);
            assertThat(new String(data, UTF_8)).isEqualTo("......abc.");
            assertThat(await(aio, aio.read(f, 4L, 2, data, 1))).isEqualTo(2);
            assertThat(new String(data, UTF_8)).isEqualTo(".ef...abc.");
        }
    }

    // aio_read returns "the actual number of bytes transferred": 0 at the end of the file.
    @Test
    void readAtEndOfFileReturnsZero() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        try (AioEngine aio = FsTesting.engine(); AioFile f = open(aio, p, O_RDONLY)) {
            Outcome<Integer> o = callback(aio, cb -> aio.read(f, 3L, ByteBuffer.allocate(8), cb));
            assertThat(o.errno()).isZero();
            assertThat(o.status()).isZero();
            assertThat(o.value()).isZero();
            assertThat(await(aio, aio.read(f, 100L, ByteBuffer.allocate(8)))).isZero();
            await(aio, aio.seek(f, 0, SEEK_END));
            assertThat(await(aio, aio.read(f, null, 4, new byte[4], 0))).isZero();
        }
    }

    // aio_read errors, as read(2): EBADF on a file not open for reading, EISDIR on a directory.
    @Test
    void readErrorsInBothForms() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        try (AioEngine aio = FsTesting.engine(); AioFile w = open(aio, p, O_WRONLY); AioFile d = open(aio, dir, O_RDONLY)) {
            assertFails(aio, Errno.EBADF, "read", w, () -> aio.read(w, 0L, ByteBuffer.allocate(4)), cb -> aio.read(w, 0L, ByteBuffer.allocate(4), cb));
            assertFails(aio, Errno.EBADF, "read", w, () -> aio.read(w, null, 4, new byte[4], 0), cb -> aio.read(w, null, 4, new byte[4], 0, cb));
            assertFails(aio, Errno.EISDIR, "read", d, () -> aio.read(d, 0L, ByteBuffer.allocate(4)), cb -> aio.read(d, 0L, ByteBuffer.allocate(4), cb));
            assertFails(aio, Errno.EISDIR, "read", d, () -> aio.read(d, null, ByteBuffer.allocate(4)), cb -> aio.read(d, null, ByteBuffer.allocate(4), cb));
        }
    }

    // ---------------------------------------------------------------- write

    // aio_write: without an offset at the position (which moves), with one at the offset (the position stays);
    // the count is returned; stat(1) sees the size.
    @Test
    void writeWithoutOffsetMovesThePositionWithOffsetDoesNot() throws Exception {
        Path p = dir.resolve("f");
        try (AioEngine aio = FsTesting.engine(); AioFile f = await(aio, aio.open(p, O_CREAT | O_RDWR, 0644))) {
            ByteBuffer src = ByteBuffer.wrap("hello".getBytes(UTF_8));
            Outcome<Integer> o = callback(aio, cb -> aio.write(f, null, src, cb));
            assertThat(ok(o)).isEqualTo(5);
            assertThat(o.status()).isEqualTo(5);
            assertThat(src.hasRemaining()).as("the buffer's position advances").isFalse();
            assertThat(position(aio, f)).isEqualTo(5);
            assertThat(await(aio, aio.write(f, 10L, ByteBuffer.wrap("XY".getBytes(UTF_8))))).isEqualTo(2);
            assertThat(position(aio, f)).as("a write at an offset leaves the position").isEqualTo(5);
            assertThat(await(aio, aio.write(f, null, 1, "!".getBytes(UTF_8), 0))).isEqualTo(1);
            assertThat(position(aio, f)).isEqualTo(6);
        }
        assertThat(Files.readAllBytes(p)).isEqualTo("hello!\0\0\0\0XY".getBytes(UTF_8));
        assertThat(sh("stat", "-c", "%s", p.toString())).isEqualTo("12");
    }

    // aio_write from $data at $dataoffset; "If $dataoffset is less than zero, it will be counted from the end of $data".
    @Test
    void writeFromArrayAtDataOffsetNegativeCountsFromTheEnd() throws Exception {
        Path p = dir.resolve("f");
        byte[] data = "0123456789".getBytes(UTF_8);
        try (AioEngine aio = FsTesting.engine(); AioFile f = await(aio, aio.open(p, O_CREAT | O_WRONLY, 0644))) {
            Outcome<Integer> o = callback(aio, cb -> aio.write(f, 0L, 3, data, -3, cb));
            assertThat(ok(o)).isEqualTo(3);
            assertThat(await(aio, aio.write(f, 3L, 2, data, 1))).isEqualTo(2);
            assertThat(await(aio, aio.write(f, 5L, 0, data, 10))).as("0 bytes at the very end of the array").isZero();
        }
        assertThat(Files.readString(p)).isEqualTo("78912");
    }

    // aio_write errors, as write(2): EBADF on a file not open for writing; nothing is written.
    @Test
    void writeErrorsInBothForms() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        try (AioEngine aio = FsTesting.engine(); AioFile r = open(aio, p, O_RDONLY)) {
            assertFails(aio, Errno.EBADF, "write", r, () -> aio.write(r, 0L, ByteBuffer.wrap(new byte[2])),
                    cb -> aio.write(r, 0L, ByteBuffer.wrap(new byte[2]), cb));
            assertFails(aio, Errno.EBADF, "write", r, () -> aio.write(r, null, 2, new byte[2], 0), cb -> aio.write(r, null, 2, new byte[2], 0, cb));
        }
        assertThat(Files.readString(p)).isEqualTo("abc");
    }

    // ---------------------------------------------------------------- sendfile

    // aio_sendfile: "starts reading at byte offset $in_offset, and starts writing at the current file offset of $out_fh",
    // "this function does not move or use the file offset of $in_fh"; the bytes written are returned.
    @Test
    void sendfileCopiesAndMovesOutsPositionNotIns() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "0123456789");
        Path out = Files.writeString(dir.resolve("out"), "AB");
        try (AioEngine aio = FsTesting.engine(); AioFile i = open(aio, in, O_RDONLY); AioFile o = open(aio, out, O_WRONLY)) {
            await(aio, aio.seek(i, 1, SEEK_SET));
            await(aio, aio.seek(o, 2, SEEK_SET));
            Outcome<Long> r = callback(aio, cb -> aio.sendfile(o, i, 3, 4, cb));
            assertThat(ok(r)).isEqualTo(4L);
            assertThat(r.status()).isEqualTo(4);
            assertThat(position(aio, o)).isEqualTo(6);
            assertThat(position(aio, i)).as("in's offset is not moved").isEqualTo(1);
            assertThat(await(aio, aio.sendfile(o, i, 8, 100))).as("fewer bytes than asked at the end of in").isEqualTo(2L);
            assertThat(await(aio, aio.sendfile(o, i, 10, 5))).as("nothing at the end of in").isZero();
            assertThat(position(aio, o)).isEqualTo(8);
        }
        assertThat(Files.readString(out)).isEqualTo("AB345689");
    }

    // aio_sendfile errors, as sendfile(2): EBADF when out is not writable or in not readable.
    @Test
    void sendfileErrorsInBothForms() throws Exception {
        Path in = Files.writeString(dir.resolve("in"), "0123456789");
        Path out = Files.writeString(dir.resolve("out"), "");
        try (AioEngine aio = FsTesting.engine(); AioFile r = open(aio, in, O_RDONLY); AioFile w = open(aio, out, O_WRONLY)) {
            assertFails(aio, Errno.EBADF, "sendfile", r, () -> aio.sendfile(r, r, 0, 1), cb -> aio.sendfile(r, r, 0, 1, cb));
            assertFails(aio, Errno.EBADF, "sendfile", w, () -> aio.sendfile(w, w, 0, 1), cb -> aio.sendfile(w, w, 0, 1, cb));
        }
        assertThat(Files.readString(out)).isEmpty();
    }

    // ---------------------------------------------------------------- readahead

    // aio_readahead: populates the page cache; "The current file offset of the file is left unchanged"; past the end is fine.
    @Test
    void readaheadSucceedsAndLeavesThePosition() throws Exception {
        Path p = Files.write(dir.resolve("f"), new byte[10_000]);
        try (AioEngine aio = FsTesting.engine(); AioFile f = open(aio, p, O_RDONLY)) {
            await(aio, aio.seek(f, 7, SEEK_SET));
            Outcome<Void> o = callback(aio, cb -> aio.readahead(f, 100, 8000, cb));
            assertThat(o.status()).isZero();
            assertThat(o.errno()).isZero();
            assertThat(await(aio, aio.readahead(f, 9000, 1 << 20))).isNull();
            assertThat(position(aio, f)).isEqualTo(7);
        }
    }

    // aio_readahead errors, as readahead(2): EBADF if not open for reading, EINVAL on a directory.
    @Test
    void readaheadErrorsInBothForms() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "abc");
        try (AioEngine aio = FsTesting.engine(); AioFile w = open(aio, p, O_WRONLY); AioFile d = open(aio, dir, O_RDONLY)) {
            assertFails(aio, Errno.EBADF, "readahead", w, () -> aio.readahead(w, 0, 10), cb -> aio.readahead(w, 0, 10, cb));
            assertFails(aio, Errno.EINVAL, "readahead", d, () -> aio.readahead(d, 0, 10), cb -> aio.readahead(d, 0, 10, cb));
        }
    }

    // ---------------------------------------------------------------- slurp

    // aio_slurp: "Opens, reads and closes the given file"; "If $offset is negative, then it is counted from the end of
    // the file"; "If $length is zero, then the remaining length of the file is used"; status is the byte count.
    @Test
    void slurpOffsetsAndLengths() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "hello world");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<ByteBuffer> all = callback(aio, cb -> aio.slurp(p, 0, 0, cb));
            assertThat(UTF_8.decode(ok(all)).toString()).isEqualTo("hello world");
            assertThat(all.status()).isEqualTo(11);
            assertThat(UTF_8.decode(await(aio, aio.slurp(p, -5, 0))).toString()).isEqualTo("world");
            assertThat(UTF_8.decode(await(aio, aio.slurp(p, -5, 3))).toString()).isEqualTo("wor");
            assertThat(UTF_8.decode(await(aio, aio.slurp(p, 2, 100))).toString()).as("fewer bytes than asked at the end").isEqualTo("llo world");
            assertThat(UTF_8.decode(await(aio, aio.slurp(p, 6, 0))).toString()).isEqualTo("world");
            assertThat(await(aio, aio.slurp(p, 100, 5)).remaining()).as("past the end: nothing").isZero();
        }
    }

    // aio_slurp errors: ENOENT, ENOTDIR; a directory cannot be read (EISDIR, read(2)'s errno; IO::AIO's mmap path gives ENOMEM).
    @Test
    void slurpErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "slurp", missing, () -> aio.slurp(missing, 0, 0), cb -> aio.slurp(missing, 0, 0, cb));
            assertFails(aio, Errno.ENOTDIR, "slurp", under, () -> aio.slurp(under, 0, 0), cb -> aio.slurp(under, 0, 0, cb));
            assertFails(aio, Errno.EISDIR, "slurp", dir, () -> aio.slurp(dir, 0, 10), cb -> aio.slurp(dir, 0, 10, cb));
        }
    }

    // aio_slurp with a negative offset reaching before the start of the file: IO::AIO 4.8 passes -1 with EINVAL
    // (pread(2) of a negative offset), it does not silently read from 0 (checked with the real IO::AIO).
    @Test
    void slurpNegativeOffsetBeforeTheStartIsEinval() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "hello world");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.EINVAL, "slurp", p, () -> aio.slurp(p, -100, 0), cb -> aio.slurp(p, -100, 0, cb));
        }
    }

    // ---------------------------------------------------------------- load

    // aio_load: "tries to fully load the given file into memory. Status is the same as with aio_read".
    @Test
    void loadWholeFile() throws Exception {
        byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);
        Path p = Files.write(dir.resolve("f"), content);
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<byte[]> o = callback(aio, cb -> aio.load(p, cb));
            assertThat(ok(o)).isEqualTo(content);
            assertThat(o.status()).isEqualTo(content.length);
            assertThat(await(aio, aio.load(empty))).isEmpty();
        }
    }

    // aio_load errors: ENOENT, ENOTDIR, and EISDIR for a directory (as the real IO::AIO passes).
    @Test
    void loadErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "load", missing, () -> aio.load(missing), cb -> aio.load(missing, cb));
            assertFails(aio, Errno.ENOTDIR, "load", under, () -> aio.load(under), cb -> aio.load(under, cb));
            assertFails(aio, Errno.EISDIR, "load", dir, () -> aio.load(dir), cb -> aio.load(dir, cb));
        }
    }
}
