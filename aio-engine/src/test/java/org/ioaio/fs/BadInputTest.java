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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.ioaio.AioConstants.MS_SYNC;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.SEEK_CUR;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.sh;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.fs.FsTesting.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input: arguments rejected at the call, names no file can have, dangling symlinks, a
 * directory where a file is expected and the reverse, a full file system, and no permission.
 */
@ExtendWith(EngineInvariants.class)
class BadInputTest {

    @TempDir
    Path dir;

    /** An AioFile the engine did not open. */
    private static final class Foreign implements AioFile {
        @Override
        public Path path() {
            return Path.of("/nowhere");
        }

        @Override
        public int flags() {
            return 0;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    // ---------------------------------------------------------------- rejected at the call

    // "Bad arguments fail at the call with IllegalArgumentException and queue nothing": each names the argument.
    @Test
    void badArgumentsAreRejectedAtTheCallAndQueueNothing() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = FsTesting.engine();
                AioFile f = await(aio, aio.open(p, O_RDWR, 0));
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, 10);
            ByteBuffer buf = ByteBuffer.allocate(4);
            byte[] five = new byte[5];
            Foreign foreign = new Foreign();
            Map<String, List<ThrowingCallable>> cases = new LinkedHashMap<>();
            cases.put("path", List.of(
                    () -> aio.open((Path) null, O_RDONLY, 0), () -> aio.open((Path) null, O_RDONLY, 0, r -> {}),
                    () -> aio.slurp((Path) null, 0, 0), () -> aio.slurp((Path) null, 0, 0, r -> {}),
                    () -> aio.load((Path) null), () -> aio.load((Path) null, r -> {}),
                    () -> aio.stat((Path) null), () -> aio.stat((Path) null, r -> {}),
                    () -> aio.lstat((Path) null), () -> aio.lstat((Path) null, r -> {}),
                    () -> aio.statvfs((Path) null), () -> aio.statvfs((Path) null, r -> {}),
                    () -> aio.utime((Path) null, 1.0, 1.0), () -> aio.utime((Path) null, null, null, r -> {}),
                    () -> aio.chown((Path) null, 0, 0), () -> aio.chown((Path) null, 0, 0, r -> {}),
                    () -> aio.chmod((Path) null, 0), () -> aio.chmod((Path) null, 0, r -> {}),
                    () -> aio.truncate((Path) null, 0), () -> aio.truncate((Path) null, 0, r -> {}),
                    () -> aio.unlink((Path) null), () -> aio.unlink((Path) null, r -> {}),
                    () -> aio.mknod((Path) null, 0, 0), () -> aio.mknod((Path) null, 0, 0, r -> {}),
                    () -> aio.readlink((Path) null), () -> aio.readlink((Path) null, r -> {}),
                    () -> aio.realpath((Path) null), () -> aio.realpath((Path) null, r -> {}),
                    () -> aio.mkdir((Path) null, 0755), () -> aio.mkdir((Path) null, 0755, r -> {}),
                    () -> aio.rmdir((Path) null), () -> aio.rmdir((Path) null, r -> {}),
                    () -> aio.pathsync((Path) null), () -> aio.pathsync((Path) null, r -> {}),
                    () -> aio.stat((String) null), () -> aio.unlink((String) null, r -> {}),
                    () -> aio.open((String) null, O_RDONLY, 0), () -> aio.readlink((String) null, r -> {})));
            cases.put("src", List.of(
                    () -> aio.link(null, p), () -> aio.link(null, p, r -> {}),
                    () -> aio.symlink(null, p), () -> aio.symlink(null, p, r -> {}),
                    () -> aio.rename(null, p), () -> aio.rename(null, p, r -> {}),
                    () -> aio.rename2(null, p, 0), () -> aio.rename2(null, p, 0, r -> {}),
                    () -> aio.write(f, null, (ByteBuffer) null), () -> aio.write(f, 0L, (ByteBuffer) null, r -> {})));
            cases.put("dst", List.of(
                    () -> aio.link(p, null), () -> aio.link(p, null, r -> {}),
                    () -> aio.symlink(p, null), () -> aio.symlink(p, null, r -> {}),
                    () -> aio.rename(p, null), () -> aio.rename(p, null, r -> {}),
                    () -> aio.rename2(p, null, 0), () -> aio.rename2(p, null, 0, r -> {}),
                    () -> aio.read(f, null, (ByteBuffer) null), () -> aio.read(f, 0L, (ByteBuffer) null, r -> {}),
                    () -> aio.read(f, 0L, ByteBuffer.allocate(4).asReadOnlyBuffer())));
            cases.put("file", List.of(
                    () -> aio.close((AioFile) null), () -> aio.close(null, r -> {}), () -> aio.close(foreign),
                    () -> aio.seek(null, 0, 0), () -> aio.seek(foreign, 0, 0, r -> {}),
                    () -> aio.read(null, 0L, buf), () -> aio.read(null, null, 1, five, 0, r -> {}),
                    () -> aio.write(null, 0L, buf), () -> aio.write(foreign, null, 1, five, 0, r -> {}),
                    () -> aio.sendfile(null, f, 0, 1), () -> aio.sendfile(f, null, 0, 1, r -> {}), () -> aio.sendfile(f, foreign, 0, 1),
                    () -> aio.readahead(null, 0, 1), () -> aio.readahead(null, 0, 1, r -> {}),
                    () -> aio.stat((AioFile) null), () -> aio.stat(foreign, r -> {}),
                    () -> aio.statvfs((AioFile) null), () -> aio.statvfs((AioFile) null, r -> {}),
                    () -> aio.utime((AioFile) null, null, null), () -> aio.chown((AioFile) null, 0, 0, r -> {}),
                    () -> aio.chmod((AioFile) null, 0), () -> aio.truncate((AioFile) null, 0, r -> {}),
                    () -> aio.allocate(null, 0, 0, 1), () -> aio.allocate(foreign, 0, 0, 1, r -> {}),
                    () -> aio.fsync(null), () -> aio.fsync(null, r -> {}),
                    () -> aio.fdatasync(null), () -> aio.fdatasync(foreign, r -> {}),
                    () -> aio.syncfs(null), () -> aio.syncfs(null, r -> {}),
                    () -> aio.syncFileRange(null, 0, 0, 0), () -> aio.syncFileRange(foreign, 0, 0, 0, r -> {})));
            cases.put("callback", List.of(
                    () -> aio.open(p, O_RDONLY, 0, null), () -> aio.close(f, null), () -> aio.seek(f, 0, 0, null),
                    () -> aio.read(f, 0L, buf, null), () -> aio.write(f, 0L, buf, null), () -> aio.read(f, 0L, 1, five, 0, null),
                    () -> aio.sendfile(f, f, 0, 1, null), () -> aio.readahead(f, 0, 1, null), () -> aio.slurp(p, 0, 0, null),
                    () -> aio.load(p, null), () -> aio.stat(p, null), () -> aio.stat(f, null), () -> aio.lstat(p, null),
                    () -> aio.statvfs(p, null), () -> aio.utime(p, null, null, null), () -> aio.chown(p, 0, 0, null),
                    () -> aio.chmod(p, 0, null), () -> aio.truncate(p, 0, null), () -> aio.allocate(f, 0, 0, 1, null),
                    () -> aio.unlink(p, null), () -> aio.mknod(p, 0, 0, null), () -> aio.link(p, p, null),
                    () -> aio.symlink(p, p, null), () -> aio.readlink(p, null), () -> aio.realpath(p, null),
                    () -> aio.rename(p, p, null), () -> aio.rename2(p, p, 0, null), () -> aio.mkdir(p, 0, null),
                    () -> aio.rmdir(p, null), () -> aio.fsync(f, null), () -> aio.fdatasync(f, null), () -> aio.syncfs(f, null),
                    () -> aio.syncFileRange(f, 0, 0, 0, null), () -> aio.pathsync(p, null), () -> aio.sync(null),
                    () -> aio.msync(m, 0, null, MS_SYNC, null), () -> aio.mtouch(m, 0, null, 0, null)));
            cases.put("offset", List.of(
                    () -> aio.read(f, -1L, buf), () -> aio.read(f, -1L, buf, r -> {}),
                    () -> aio.write(f, -1L, buf), () -> aio.write(f, -1L, 1, five, 0, r -> {}),
                    () -> aio.readahead(f, -1, 1), () -> aio.readahead(f, -1, 1, r -> {}),
                    () -> aio.allocate(f, 0, -1, 1), () -> aio.allocate(f, 0, -1, 1, r -> {}),
                    () -> aio.msync(m, -1, null, MS_SYNC), () -> aio.msync(m, 11, null, MS_SYNC, r -> {}),
                    () -> aio.mtouch(m, -1, null, 0), () -> aio.mtouch(m, 11, null, 0, r -> {})));
            cases.put("inOffset", List.of(() -> aio.sendfile(f, f, -1, 1), () -> aio.sendfile(f, f, -1, 1, r -> {})));
            cases.put("length", List.of(
                    () -> aio.read(f, null, -1, five, 0), () -> aio.read(f, null, -1, five, 0, r -> {}),
                    () -> aio.write(f, null, -1, five, 0), () -> aio.write(f, null, -1, five, 0, r -> {}),
                    () -> aio.sendfile(f, f, 0, -1), () -> aio.sendfile(f, f, 0, -1, r -> {}),
                    () -> aio.readahead(f, 0, -1), () -> aio.readahead(f, 0, -1, r -> {}),
                    () -> aio.slurp(p, 0, -1), () -> aio.slurp(p, 0, -1, r -> {}),
                    () -> aio.truncate(p, -1), () -> aio.truncate(f, -1, r -> {}),
                    () -> aio.allocate(f, 0, 0, -1), () -> aio.allocate(f, 0, 0, -1, r -> {}),
                    () -> aio.msync(m, 0, 11L, MS_SYNC), () -> aio.msync(m, 5, -6L, MS_SYNC, r -> {}),
                    () -> aio.mtouch(m, 5, 6L, 0), () -> aio.mtouch(m, 0, -11L, 0, r -> {})));
            cases.put("dataOffset", List.of(
                    () -> aio.read(f, null, 1, five, 6), () -> aio.read(f, null, 1, five, -6, r -> {}),
                    () -> aio.write(f, null, 1, five, 6), () -> aio.write(f, null, 0, five, -6, r -> {})));
            cases.put("data", List.of(
                    () -> aio.read(f, null, 1, null, 0), () -> aio.read(f, null, 1, null, 0, r -> {}),
                    () -> aio.write(f, null, 1, null, 0), () -> aio.write(f, null, 1, null, 0, r -> {})));
            cases.put("buffer", List.of(
                    () -> aio.msync(null, 0, null, MS_SYNC), () -> aio.msync(null, 0, null, MS_SYNC, r -> {}),
                    () -> aio.mtouch(null, 0, null, 0), () -> aio.mtouch(null, 0, null, 0, r -> {})));
            cases.put("atime", List.of(
                    () -> aio.utime(p, Double.NaN, 1.0), () -> aio.utime(p, Double.NaN, null, r -> {}),
                    () -> aio.utime(f, Double.POSITIVE_INFINITY, 1.0), () -> aio.utime(f, Double.NEGATIVE_INFINITY, null, r -> {})));
            cases.put("mtime", List.of(
                    () -> aio.utime(p, 1.0, Double.NaN), () -> aio.utime(p, null, Double.NaN, r -> {}),
                    () -> aio.utime(f, null, Double.POSITIVE_INFINITY), () -> aio.utime(f, 1.0, Double.NaN, r -> {})));

            SoftAssertions soft = new SoftAssertions();
            int n = 0;
            for (Map.Entry<String, List<ThrowingCallable>> e : cases.entrySet()) {
                for (ThrowingCallable call : e.getValue()) {
                    n++;
                    Throwable t = catchThrowable(call);
                    soft.assertThat(t).as("case %d naming %s", n, e.getKey()).isInstanceOf(IllegalArgumentException.class);
                    if (t != null) {
                        soft.assertThat(t.getMessage()).as("case %d message", n).contains(e.getKey());
                    }
                    soft.assertThat(aio.nreqs()).as("nreqs after case %d (%s)", n, e.getKey()).isZero();
                }
            }
            soft.assertAll();
            assertThat(aio.npending()).isZero();
            assertThat(Files.readString(p)).isEqualTo("0123456789");
        }
    }

    // aio_read/aio_write with an array too small for $length bytes from $dataoffset: rejected at the call, and the
    // message names the arguments (length, data) like every other rejection.
    @Test
    void arrayTooSmallIsRejectedNamingLengthAndData() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = FsTesting.engine(); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            byte[] five = new byte[5];
            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> aio.read(f, null, 10, five, 0), () -> aio.read(f, 0L, 3, five, 3, r -> {}),
                    () -> aio.write(f, null, 6, five, 0), () -> aio.write(f, 0L, 2, five, -1, r -> {}))) {
                assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("length").hasMessageContaining("data");
                assertThat(aio.nreqs()).isZero();
            }
        }
    }

    // aio_utime with a time no file system can hold (beyond java.time.Instant's range): rejected at the call with an
    // IllegalArgumentException naming the argument, like NaN, not another exception type escaping from the call.
    @Test
    void utimeOutOfRangeIsRejectedAtTheCallNamingTheArgument() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        try (AioEngine aio = FsTesting.engine()) {
            assertThatThrownBy(() -> aio.utime(p, 1e300, 1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("atime");
            assertThatThrownBy(() -> aio.utime(p, 1.0, -1e19, r -> {})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mtime");
            assertThat(aio.nreqs()).isZero();
        }
    }

    // The empty name is ENOENT, as in C (open(""), stat(""), mkdir("")...).
    @Test
    void theEmptyPathIsEnoent() throws Exception {
        Path empty = Path.of("");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "stat", empty, () -> aio.stat(empty), cb -> aio.stat(empty, cb));
            assertFails(aio, Errno.ENOENT, "open", empty, () -> aio.open(empty, O_CREAT | O_WRONLY, 0644), cb -> aio.open(empty, O_CREAT | O_WRONLY, 0644, cb));
            assertFails(aio, Errno.ENOENT, "mkdir", empty, () -> aio.mkdir(empty, 0755), cb -> aio.mkdir(empty, 0755, cb));
            assertFails(aio, Errno.ENOENT, "unlink", empty, () -> aio.unlink(empty), cb -> aio.unlink(empty, cb));
            assertFails(aio, Errno.ENOENT, "load", empty, () -> aio.load(empty), cb -> aio.load(empty, cb));
        }
    }

    // A request on a closed engine is refused with IllegalStateException, nothing queued.
    @Test
    void requestsAfterCloseAreRefused() throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "x");
        AioEngine aio = FsTesting.engine();
        aio.close();
        assertThatThrownBy(() -> aio.stat(p)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aio.open(p, O_RDONLY, 0, r -> {})).isInstanceOf(IllegalStateException.class);
        assertThat(aio.nreqs()).isZero();
    }

    // ---------------------------------------------------------------- names

    // A name with a NUL byte cannot reach a request: Path.of throws InvalidPathException, an IllegalArgumentException
    // (C would silently cut the name at the NUL; Java refuses to make the Path at all).
    @Test
    void aNameWithANulByteIsRejectedWhenThePathIsMade() {
        assertThatThrownBy(() -> Path.of("a\0b")).isInstanceOf(InvalidPathException.class).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dir.resolve("name\0")).isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.toFile().list()).isEmpty();
    }

    // An over-long name: a component over NAME_MAX (255 bytes) or a path over PATH_MAX (4096) is ENAMETOOLONG, as the
    // syscalls give it, and nothing is created.
    @Test
    void overLongNamesAreEnametoolong() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path longName = dir.resolve("n".repeat(256));
        Path longPath = dir.resolve(String.join("/", Collections.nCopies(25, "d".repeat(200))));
        Path longTarget = Path.of("t".repeat(5000));
        Path link = dir.resolve("link");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENAMETOOLONG, "open", longName, () -> aio.open(longName, O_CREAT | O_WRONLY, 0644),
                    cb -> aio.open(longName, O_CREAT | O_WRONLY, 0644, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "mkdir", longName, () -> aio.mkdir(longName, 0755), cb -> aio.mkdir(longName, 0755, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "unlink", longName, () -> aio.unlink(longName), cb -> aio.unlink(longName, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "symlink", longName, () -> aio.symlink(file, longName), cb -> aio.symlink(file, longName, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "rename", file, () -> aio.rename(file, longName), cb -> aio.rename(file, longName, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "link", file, () -> aio.link(file, longName), cb -> aio.link(file, longName, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "stat", longPath, () -> aio.stat(longPath), cb -> aio.stat(longPath, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "open", longPath, () -> aio.open(longPath, O_CREAT | O_WRONLY, 0644),
                    cb -> aio.open(longPath, O_CREAT | O_WRONLY, 0644, cb));
            assertFails(aio, Errno.ENAMETOOLONG, "symlink", link, () -> aio.symlink(longTarget, link), cb -> aio.symlink(longTarget, link, cb));
            assertThat(dir.toFile().list()).containsExactly("f");
            assertThat(Files.readString(file)).isEqualTo("x");
        }
    }

    // A dangling symlink: stat follows it (ENOENT), lstat and readlink see the link; as open(2), O_CREAT through it
    // creates the target (O_CREAT|O_EXCL is EEXIST, O_NOFOLLOW ELOOP), without O_CREAT it is ENOENT.
    @Test
    void danglingSymlink() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        Path target = dir.resolve("target");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "stat", link, () -> aio.stat(link), cb -> aio.stat(link, cb));
            FileStat l = await(aio, aio.lstat(link));
            assertThat(l.isSymbolicLink()).isTrue();
            assertThat(l.size()).isEqualTo("target".length());
            assertThat(await(aio, aio.readlink(link))).isEqualTo(Path.of("target"));
            assertFails(aio, Errno.ENOENT, "realpath", link, () -> aio.realpath(link), cb -> aio.realpath(link, cb));
            assertFails(aio, Errno.ENOENT, "open", link, () -> aio.open(link, O_RDONLY, 0), cb -> aio.open(link, O_RDONLY, 0, cb));
            assertFails(aio, Errno.ENOENT, "open", link, () -> aio.open(link, O_RDWR, 0), cb -> aio.open(link, O_RDWR, 0, cb));
            assertFails(aio, Errno.EEXIST, "open", link, () -> aio.open(link, O_CREAT | O_EXCL | O_RDWR, 0644),
                    cb -> aio.open(link, O_CREAT | O_EXCL | O_RDWR, 0644, cb));
            assertFails(aio, Errno.ELOOP, "open", link, () -> aio.open(link, O_CREAT | O_NOFOLLOW | O_WRONLY, 0644),
                    cb -> aio.open(link, O_CREAT | O_NOFOLLOW | O_WRONLY, 0644, cb));
            assertFails(aio, Errno.ENOENT, "slurp", link, () -> aio.slurp(link, 0, 0), cb -> aio.slurp(link, 0, 0, cb));
            assertFails(aio, Errno.ENOENT, "load", link, () -> aio.load(link), cb -> aio.load(link, cb));
            assertFails(aio, Errno.ENOENT, "chmod", link, () -> aio.chmod(link, 0600), cb -> aio.chmod(link, 0600, cb));
            assertFails(aio, Errno.ENOENT, "chown", link, () -> aio.chown(link, 1, 1), cb -> aio.chown(link, 1, 1, cb));
            assertFails(aio, Errno.ENOENT, "truncate", link, () -> aio.truncate(link, 0), cb -> aio.truncate(link, 0, cb));
            assertFails(aio, Errno.ENOENT, "pathsync", link, () -> aio.pathsync(link), cb -> aio.pathsync(link, cb));
            assertThat(exists(target)).as("no failed request created the target").isFalse();

            try (AioFile f = await(aio, aio.open(link, O_CREAT | O_WRONLY, 0644))) {
                await(aio, aio.write(f, null, ByteBuffer.wrap("made".getBytes(UTF_8))));
            }
            assertThat(Files.readString(target)).as("O_CREAT through a dangling symlink creates its target").isEqualTo("made");
            assertThat(Files.isSymbolicLink(link)).isTrue();
            assertThat(sh("stat", "-L", "-c", "%F", link.toString())).isEqualTo("regular file");
            await(aio, aio.unlink(link));
            assertThat(exists(link)).isFalse();
            assertThat(exists(target)).as("unlink removes the link, not its target").isTrue();
        }
    }

    // open(2) with O_CREAT|O_RDONLY through a dangling symlink creates the target, as for any access mode (checked with
    // the real IO::AIO on Linux: aio_open succeeds and the target exists).
    @Test
    void openCreatReadOnlyThroughADanglingSymlinkCreatesTheTarget() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        Path target = dir.resolve("target");
        try (AioEngine aio = FsTesting.engine()) {
            Outcome<AioFile> o = callback(aio, cb -> aio.open(link, O_CREAT | O_RDONLY, 0644, cb));
            if (o.value() != null) {
                o.value().close();
            }
            assertThat(Errno.describe(o.errno())).isEqualTo(Errno.describe(0));
            assertThat(exists(target)).isTrue();
            assertThat(Files.isSymbolicLink(link)).isTrue();
        }
    }

    // A directory where a file is expected: EISDIR from open for writing, read, unlink, truncate, slurp, load;
    // a file where a directory is expected: ENOTDIR from O_DIRECTORY, rmdir, a path through it, rename of a directory onto it.
    @Test
    void directoryWhereAFileIsExpectedAndTheReverse() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine(); AioFile d = await(aio, aio.open(sub, O_RDONLY, 0))) {
            assertFails(aio, Errno.EISDIR, "open", sub, () -> aio.open(sub, O_WRONLY, 0), cb -> aio.open(sub, O_WRONLY, 0, cb));
            assertFails(aio, Errno.EISDIR, "open", sub, () -> aio.open(sub, O_CREAT | O_RDWR, 0644), cb -> aio.open(sub, O_CREAT | O_RDWR, 0644, cb));
            assertFails(aio, Errno.EISDIR, "read", d, () -> aio.read(d, 0L, ByteBuffer.allocate(4)), cb -> aio.read(d, 0L, ByteBuffer.allocate(4), cb));
            assertFails(aio, Errno.EISDIR, "unlink", sub, () -> aio.unlink(sub), cb -> aio.unlink(sub, cb));
            assertFails(aio, Errno.EISDIR, "truncate", sub, () -> aio.truncate(sub, 0), cb -> aio.truncate(sub, 0, cb));
            assertFails(aio, Errno.EISDIR, "slurp", sub, () -> aio.slurp(sub, 0, 0), cb -> aio.slurp(sub, 0, 1, cb));
            assertFails(aio, Errno.EISDIR, "load", sub, () -> aio.load(sub), cb -> aio.load(sub, cb));
            assertFails(aio, Errno.EISDIR, "rename", file, () -> aio.rename(file, sub), cb -> aio.rename(file, sub, cb));

            assertFails(aio, Errno.ENOTDIR, "open", file, () -> aio.open(file, O_RDONLY | O_DIRECTORY, 0),
                    cb -> aio.open(file, O_RDONLY | O_DIRECTORY, 0, cb));
            assertFails(aio, Errno.ENOTDIR, "rmdir", file, () -> aio.rmdir(file), cb -> aio.rmdir(file, cb));
            assertFails(aio, Errno.ENOTDIR, "stat", under, () -> aio.stat(under), cb -> aio.stat(under, cb));
            assertFails(aio, Errno.ENOTDIR, "mkdir", under, () -> aio.mkdir(under, 0755), cb -> aio.mkdir(under, 0755, cb));
            assertFails(aio, Errno.ENOTDIR, "open", under, () -> aio.open(under, O_CREAT | O_WRONLY, 0644),
                    cb -> aio.open(under, O_CREAT | O_WRONLY, 0644, cb));
            assertFails(aio, Errno.ENOTDIR, "rename", sub, () -> aio.rename(sub, file), cb -> aio.rename(sub, file, cb));
            assertThat(Files.readString(file)).isEqualTo("x");
            assertThat(Files.isDirectory(sub)).isTrue();
        }
    }

    // ---------------------------------------------------------------- a full file system

    /** Mounts a 64 KiB tmpfs at a fresh directory under the test's, or skips with the reason. */
    private Path mountSmallTmpfs() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        FsTesting.Result mount = FsTesting.run(List.of("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString()));
        skipUnless(mount.status() == 0, "cannot mount a 64k tmpfs (mount status " + mount.status() + ": " + mount.err()
                + "): no full file system for ENOSPC");
        return mnt;
    }

    private static void unmount(Path mnt) throws Exception {
        if (FsTesting.run(List.of("umount", mnt.toString())).status() != 0) {
            FsTesting.run(List.of("umount", "-l", mnt.toString()));
        }
    }

    // A full file system: write(2) returns the bytes that fit (a short count) and then fails with ENOSPC, in both forms;
    // the file holds exactly the bytes reported written; other files stay empty; reading still works.
    @Test
    void fullFileSystemGivesEnospcAndLeavesOnlyWhatWasReported() throws Exception {
        Path mnt = mountSmallTmpfs();
        try {
            Path filler = mnt.resolve("filler");
            Path other = mnt.resolve("other");
            try (AioEngine aio = FsTesting.engine();
                    AioFile f = await(aio, aio.open(filler, O_CREAT | O_RDWR, 0644));
                    AioFile g = await(aio, aio.open(other, O_CREAT | O_RDWR, 0644))) {
                long reported = 0;
                Outcome<Integer> last = null;
                for (int i = 0; i < 100; i++) {
                    last = callback(aio, cb -> aio.write(f, null, ByteBuffer.allocate(8192), cb));
                    if (last.errno() != 0) {
                        break;
                    }
                    reported += last.value();
                }
                assertThat(last).isNotNull();
                assertThat(Errno.describe(last.errno())).isEqualTo(Errno.describe(Errno.ENOSPC.code()));
                assertThat(last.status()).isEqualTo(-1);
                assertThat(reported).isBetween(1L, 64L * 1024);
                assertFails(aio, Errno.ENOSPC, "write", f, () -> aio.write(f, null, ByteBuffer.allocate(100)),
                        cb -> aio.write(f, null, ByteBuffer.allocate(100), cb));
                assertFails(aio, Errno.ENOSPC, "write", g, () -> aio.write(g, 0L, ByteBuffer.allocate(100)),
                        cb -> aio.write(g, 0L, ByteBuffer.allocate(100), cb));
                assertFails(aio, Errno.ENOSPC, "allocate", g, () -> aio.allocate(g, 0, 0, 1 << 20), cb -> aio.allocate(g, 0, 0, 1 << 20, cb));
                assertThat(await(aio, aio.stat(f)).size()).as("the file holds what was reported written").isEqualTo(reported);
                assertThat(sh("stat", "-c", "%s", filler.toString())).isEqualTo(String.valueOf(reported));
                assertThat(sh("stat", "-c", "%s", other.toString())).as("failed writes left nothing").isEqualTo("0");
                assertThat(await(aio, aio.seek(f, 0, SEEK_CUR))).as("the position moved by what was written").isEqualTo(reported);
                assertThat(await(aio, aio.load(filler))).hasSize((int) reported);
                assertThat(await(aio, aio.statvfs(mnt)).bavail()).isZero();
            }
        } finally {
            unmount(mnt);
        }
    }

    // fallocate(2) that does not fit fails with ENOSPC and leaves the file as it was (tmpfs undoes a partial
    // allocation; checked with the real IO::AIO: size 0 after aio_allocate of 1 MiB with 12 KiB free).
    @Test
    void allocateThatDoesNotFitLeavesTheFileAsItWas() throws Exception {
        Path mnt = mountSmallTmpfs();
        try {
            try (AioEngine aio = FsTesting.engine();
                    AioFile f = await(aio, aio.open(mnt.resolve("filler"), O_CREAT | O_RDWR, 0644));
                    AioFile g = await(aio, aio.open(mnt.resolve("g"), O_CREAT | O_RDWR, 0644))) {
                while (FsTesting.<Integer>callback(aio, cb -> aio.write(f, null, ByteBuffer.allocate(8192), cb)).errno() == 0) {
                    // fill it
                }
                await(aio, aio.truncate(f, await(aio, aio.stat(f)).size() - 12288));
                assertFails(aio, Errno.ENOSPC, "allocate", g, () -> aio.allocate(g, 0, 0, 1 << 20), cb -> aio.allocate(g, 0, 0, 1 << 20, cb));
                assertThat(sh("stat", "-c", "%s", mnt.resolve("g").toString())).as("nothing half-done").isEqualTo("0");
            }
        } finally {
            unmount(mnt);
        }
    }

    // truncate(2) growing a file makes a hole and needs no free block: it succeeds on a full file system (as the real
    // IO::AIO's aio_truncate does on the full 64k tmpfs), by path and by handle.
    @Test
    void truncateGrowingSucceedsOnAFullFileSystem() throws Exception {
        Path mnt = mountSmallTmpfs();
        try {
            Path g = mnt.resolve("g");
            try (AioEngine aio = FsTesting.engine();
                    AioFile f = await(aio, aio.open(mnt.resolve("filler"), O_CREAT | O_RDWR, 0644));
                    AioFile h = await(aio, aio.open(g, O_CREAT | O_RDWR, 0644))) {
                while (FsTesting.<Integer>callback(aio, cb -> aio.write(f, null, ByteBuffer.allocate(8192), cb)).errno() == 0) {
                    // fill it
                }
                Outcome<Void> byPath = callback(aio, cb -> aio.truncate(g, 1 << 20, cb));
                assertThat(Errno.describe(byPath.errno())).isEqualTo(Errno.describe(0));
                Outcome<Void> byHandle = callback(aio, cb -> aio.truncate(h, 2 << 20, cb));
                assertThat(Errno.describe(byHandle.errno())).isEqualTo(Errno.describe(0));
                assertThat(sh("stat", "-c", "%s", g.toString())).isEqualTo(String.valueOf(2 << 20));
            }
        } finally {
            unmount(mnt);
        }
    }

    // ---------------------------------------------------------------- no permission

    /**
     * Permission bits give EACCES (and owner-only calls EPERM) in both forms; as root they are bypassed, so the
     * requests run in a child JVM as user nobody (setpriv), or the test is skipped with the reason.
     */
    @Test
    void permissionBitsGiveEaccesAndEperm() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = Files.writeString(dir.resolve("secret"), "x");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path readable = Files.writeString(dir.resolve("readable"), "x");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Path inside = Files.writeString(closed.resolve("inside"), "x");
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        String[] operations = {
            "open-read", secret.toString(),
            "open-write", readable.toString(),
            "create", dir.resolve("new").toString(),
            "stat", inside.toString(),
            "lstat", inside.toString(),
            "realpath", inside.toString(),
            "slurp", secret.toString(),
            "pathsync", secret.toString(),
            "truncate", readable.toString(),
            "unlink", readable.toString(),
            "rename", readable.toString(),
            "mkdir", dir.resolve("newdir").toString(),
            "rmdir", sub.toString(),
            "chmod", readable.toString(),
            "chown", readable.toString(),
            "utime", readable.toString(),
            "open-read", readable.toString(),
            "slurp", readable.toString(),
        };
        Map<String, List<String>> got = runAsNobody(operations);
        String eacces = Errno.EACCES.code() + "/" + Errno.EACCES.code();
        String eperm = Errno.EPERM.code() + "/" + Errno.EPERM.code();
        assertThat(got.get("open-read")).containsExactly(eacces, "0/0");
        assertThat(got.get("slurp")).containsExactly(eacces, "0/0");
        for (String op : List.of("open-write", "create", "stat", "lstat", "realpath", "pathsync", "truncate", "unlink", "rename", "mkdir", "rmdir")) {
            assertThat(got.get(op)).as(op).containsExactly(eacces);
        }
        for (String op : List.of("chmod", "chown", "utime")) {
            assertThat(got.get(op)).as("%s by someone not the owner: EPERM", op).containsExactly(eperm);
        }
        assertThat(Files.readString(readable)).isEqualTo("x");
        assertThat(sh("stat", "-c", "%a %u", readable.toString())).isEqualTo("644 0");
        assertThat(exists(dir.resolve("new"))).isFalse();
        assertThat(exists(dir.resolve("newdir"))).isFalse();
        assertThat(Files.isDirectory(sub)).isTrue();
    }

    private static Map<String, List<String>> runAsNobody(String[] operations) throws Exception {
        skipUnless(sh("id", "-u").equals("0"), "not running as root: cannot switch to user nobody for EACCES");
        Path setpriv = Path.of("/usr/bin/setpriv");
        skipUnless(Files.isExecutable(setpriv), "running as root and setpriv(1) is missing: cannot drop privileges for EACCES");
        Path classes = Path.of(AioEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(EngineEaccesProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(
                setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classes + File.pathSeparator + testClasses,
                EngineEaccesProbe.class.getName()));
        command.addAll(List.of(operations));
        FsTesting.Result r = FsTesting.run(command);
        skipUnless(r.status() == 0, "could not run the probe as user nobody (status " + r.status() + "): " + r.err());
        Map<String, List<String>> got = new HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] kv = line.trim().split("=");
            got.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        return got;
    }
}
