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
import static org.ioaio.AioConstants.MS_ASYNC;
import static org.ioaio.AioConstants.MS_INVALIDATE;
import static org.ioaio.AioConstants.MS_SYNC;
import static org.ioaio.AioConstants.MT_MODIFY;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WAIT_AFTER;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WAIT_BEFORE;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WRITE;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.succeeds;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** aio_fsync, aio_fdatasync, aio_syncfs, aio_sync_file_range, aio_pathsync, aio_sync, aio_msync and aio_mtouch. */
@ExtendWith(EngineInvariants.class)
class SyncRequestsTest {

    @TempDir
    Path dir;

    // aio_fsync / aio_fdatasync: "call fsync [fdatasync] on the given filehandle and call the callback with the result code".
    @Test
    void fsyncAndFdatasyncSucceedOnWrittenAndReadOnlyFiles() throws Exception {
        Path p = dir.resolve("f");
        try (AioEngine aio = FsTesting.engine(); AioFile f = await(aio, aio.open(p, O_CREAT | O_RDWR, 0644))) {
            await(aio, aio.write(f, null, ByteBuffer.wrap("data".getBytes(UTF_8))));
            succeeds(aio, cb -> aio.fsync(f, cb));
            assertThat(await(aio, aio.fsync(f))).isNull();
            succeeds(aio, cb -> aio.fdatasync(f, cb));
            assertThat(await(aio, aio.fdatasync(f))).isNull();
            try (AioFile r = await(aio, aio.open(p, O_RDONLY, 0)); AioFile d = await(aio, aio.open(dir, O_RDONLY, 0))) {
                succeeds(aio, cb -> aio.fsync(r, cb));
                succeeds(aio, cb -> aio.fsync(d, cb));
            }
        }
        assertThat(Files.readString(p)).isEqualTo("data");
    }

    // aio_syncfs: "If syncfs is not available, calls sync(), but returns -1 and sets errno to ENOSYS nevertheless"
    // (the portable layer cannot call syncfs).
    @Test
    void syncfsReportsEnosysOnThePortableLayer() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = FsTesting.engine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            assertThat(aio.backend()).isEqualTo(AioBackend.NIO);
            assertFails(aio, Errno.ENOSYS, "syncfs", f, () -> aio.syncfs(f), cb -> aio.syncfs(f, cb));
        }
    }

    // aio_sync_file_range: "If sync_file_range is not available or it returns ENOSYS, then fdatasync or fsync is being
    // substituted": it succeeds on the portable layer; unknown flags are EINVAL as sync_file_range(2).
    @Test
    void syncFileRangeSucceedsThroughTheFdatasyncFallback() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        int all = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
        try (AioEngine aio = FsTesting.engine(); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            succeeds(aio, cb -> aio.syncFileRange(f, 0, 0, all, cb));
            assertThat(await(aio, aio.syncFileRange(f, 2, 4, SYNC_FILE_RANGE_WRITE))).isNull();
            assertFails(aio, Errno.EINVAL, "sync_file_range", f, () -> aio.syncFileRange(f, 0, 0, 0x80),
                    cb -> aio.syncFileRange(f, 0, 0, 0x80, cb));
        }
    }

    // aio_pathsync: "open, fsync and close the given path ... intended to sync directories"; "It works for anything that
    // can be opened for read-only"; "Passes 0 when everything went ok, and -1 on error".
    @Test
    void pathsyncOfDirectoryAndFile() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        try (AioEngine aio = FsTesting.engine()) {
            await(aio, aio.rename(p, sub.resolve("g")));
            succeeds(aio, cb -> aio.pathsync(sub, cb));
            assertThat(await(aio, aio.pathsync(dir))).isNull();
            succeeds(aio, cb -> aio.pathsync(sub.resolve("g"), cb));
        }
    }

    // aio_pathsync errors: whatever the open fails with (ENOENT, ENOTDIR).
    @Test
    void pathsyncErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "pathsync", missing, () -> aio.pathsync(missing), cb -> aio.pathsync(missing, cb));
            assertFails(aio, Errno.ENOTDIR, "pathsync", under, () -> aio.pathsync(under), cb -> aio.pathsync(under, cb));
        }
    }

    // aio_sync "call[s] sync": the portable layer cannot, and says so with ENOSYS rather than pretending.
    @Test
    void syncIsEnosysOnThePortableLayer() {
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOSYS, "sync", null, () -> aio.sync(), cb -> aio.sync(cb));
        }
    }

    // aio_msync "calls the msync function ... starting at $offset ... ending $length bytes later. If $length is negative,
    // counts from the end, and if $length is undef, then it goes till the end"; MS_SYNC writes the change to the file.
    @Test
    void msyncOfAMappedBuffer() throws Exception {
        Path p = Files.write(dir.resolve("f"), new byte[3 * 4096]);
        try (AioEngine aio = FsTesting.engine(); FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, 3 * 4096);
            m.put(5000, (byte) 'Z');
            succeeds(aio, cb -> aio.msync(m, 0, null, MS_SYNC, cb));
            assertThat(Files.readAllBytes(p)[5000]).isEqualTo((byte) 'Z');
            assertThat(await(aio, aio.msync(m, 4096, -4096L, MS_SYNC))).isNull();
            assertThat(await(aio, aio.msync(m, 0, 4096L, MS_ASYNC | MS_INVALIDATE))).isNull();
            assertThat(await(aio, aio.msync(m, 3 * 4096, null, MS_SYNC))).as("an empty range at the end").isNull();
            assertFails(aio, Errno.EINVAL, "msync", null, () -> aio.msync(m, 0, null, MS_SYNC | MS_ASYNC),
                    cb -> aio.msync(m, 0, null, MS_SYNC | MS_ASYNC, cb));
            assertFails(aio, Errno.EINVAL, "msync", null, () -> aio.msync(m, 0, null, 0x40), cb -> aio.msync(m, 0, null, 0x40, cb));
        }
    }

    // aio_mtouch "touches (reads or writes) all memory pages in the specified range": flags 0 reads, MT_MODIFY dirties
    // (content unchanged); other flags are EINVAL; MT_MODIFY of a read-only mapping cannot write (EFAULT).
    @Test
    void mtouchOfAMappedBuffer() throws Exception {
        byte[] content = new byte[5 * 4096 + 7];
        new Random(3).nextBytes(content);
        Path p = Files.write(dir.resolve("f"), content);
        try (AioEngine aio = FsTesting.engine(); FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, content.length);
            succeeds(aio, cb -> aio.mtouch(m, 0, null, 0, cb));
            succeeds(aio, cb -> aio.mtouch(m, 100, -100L, MT_MODIFY, cb));
            assertThat(await(aio, aio.mtouch(m, 4096, 4096L, MT_MODIFY))).isNull();
            assertThat(await(aio, aio.msync(m, 0, null, MS_SYNC))).isNull();
            assertThat(Files.readAllBytes(p)).as("touching changes no byte").isEqualTo(content);
            assertFails(aio, Errno.EINVAL, "mtouch", null, () -> aio.mtouch(m, 0, null, 2), cb -> aio.mtouch(m, 0, null, 2, cb));
            MappedByteBuffer ro = ch.map(FileChannel.MapMode.READ_ONLY, 0, content.length);
            succeeds(aio, cb -> aio.mtouch(ro, 0, null, 0, cb));
            assertFails(aio, Errno.EFAULT, "mtouch", null, () -> aio.mtouch(ro, 0, null, MT_MODIFY), cb -> aio.mtouch(ro, 0, null, MT_MODIFY, cb));
            assertThat(await(aio, aio.mtouch(ByteBuffer.allocate(10_000), 0, null, MT_MODIFY))).as("any buffer works").isNull();
        }
    }
}
