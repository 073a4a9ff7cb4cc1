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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.AioConstants.FIEMAP_EXTENT_LAST;
import static org.ioaio.AioConstants.FIEMAP_FLAG_SYNC;
import static org.ioaio.AioConstants.FS_IOC_GETFLAGS;
import static org.ioaio.AioConstants.FS_NOATIME_FL;
import static org.ioaio.AioConstants.MADV_SEQUENTIAL;
import static org.ioaio.AioConstants.MADV_WILLNEED;
import static org.ioaio.AioConstants.MCL_CURRENT;
import static org.ioaio.AioConstants.MCL_ONFAULT;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.ok;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FiemapExtent;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * IO::AIO 4.8's fiemap, ioctl, memory and pipe calls on the native backend (each on the portable
 * one once, where it says ENOSYS): a sparse file's extents compared with {@code filefrag -v}, the
 * typed ioctls, mlock/madvise over mappings, and splice/tee through pipes. The temporary directory
 * is on ext4 here; a file system without FIEMAP skips the extent tests with the reason printed.
 */
@ExtendWith(EngineInvariants.class)
class ExtrasRequestsTest {

    @TempDir
    Path dir;

    private static AioEngine nativeEngine() {
        skipUnless(Platform.nativeLayer().available(), "native layer not available: " + Platform.nativeLayer().reason());
        return AioEngine.builder().minParallel(2).backend(AioBackend.NATIVE).build();
    }

    private static AioEngine nioEngine() {
        return AioEngine.builder().minParallel(1).backend(AioBackend.NIO).build();
    }

    /** A sparse file: {@code blocks} blocks of 4 KiB data, each followed by a hole of {@code gap} bytes. */
    private Path sparse(String name, int blocks, long gap) throws Exception {
        Path p = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < blocks; i++) {
                ByteBuffer b = ByteBuffer.allocate(4096);
                while (b.hasRemaining()) {
                    b.put((byte) ('a' + i % 26));
                }
                b.flip();
                ch.write(b, i * (4096 + gap));
            }
            ch.force(true);
        }
        return p;
    }

    /** {@code filefrag -v -b1}'s extents (bytes), or skips when filefrag is missing. */
    private static List<FiemapExtent> filefrag(Path p) throws Exception {
        boolean have = new File("/usr/sbin/filefrag").canExecute() || new File("/sbin/filefrag").canExecute();
        skipUnless(have, "filefrag (e2fsprogs) is not installed");
        String out = FsTesting.sh(new File("/usr/sbin/filefrag").canExecute() ? "/usr/sbin/filefrag" : "/sbin/filefrag",
                "-v", "-b1", p.toString());
        Pattern line = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\.\\.\\s*\\d+:\\s+(\\d+)\\.\\.\\s*\\d+:\\s+(\\d+):.*?(last)?(,eof)?\\s*$");
        List<FiemapExtent> extents = new ArrayList<>();
        for (String l : out.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                extents.add(new FiemapExtent(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                        m.group(4) != null ? FIEMAP_EXTENT_LAST : 0));
            }
        }
        return extents;
    }

    private static void skipWithoutFiemap(AioEngine aio, AioFile f) {
        FsTesting.Outcome<Long> o = callback(aio, cb -> aio.fiemapCount(f, 0, null, 0, cb));
        skipUnless(o.errno() != Errno.EOPNOTSUPP.code(), "the temporary directory's file system has no FIEMAP");
    }

    // fiemap of a sparse file: one extent per data block, none for the holes, the last marked FIEMAP_EXTENT_LAST, and
    // the same logical/physical offsets and lengths as filefrag -v reports (flags compared on LAST only: filefrag
    // prints the others as words).
    @Test
    void fiemapOfASparseFileMatchesFilefrag() throws Exception {
        Path p = sparse("sparse", 3, 1 << 20);
        try (AioEngine aio = nativeEngine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            skipWithoutFiemap(aio, f);
            List<FiemapExtent> all = await(aio, aio.fiemap(f, 0, null, FIEMAP_FLAG_SYNC, null));
            assertThat(all).extracting(FiemapExtent::logical).containsExactly(0L, 4096L + (1 << 20), 2 * (4096L + (1 << 20)));
            assertThat(all).extracting(FiemapExtent::length).containsOnly(4096L);
            assertThat(all.get(2).flags() & FIEMAP_EXTENT_LAST).isEqualTo(FIEMAP_EXTENT_LAST);
            assertThat(all.get(0).flags() & FIEMAP_EXTENT_LAST).isZero();
            assertThat(all).extracting(e -> new FiemapExtent(e.logical(), e.physical(), e.length(), e.flags() & FIEMAP_EXTENT_LAST))
                    .containsExactlyElementsOf(filefrag(p));
            List<FiemapExtent> cb = ok(callback(aio, c -> aio.fiemap(f, 0, null, 0, null, c)));
            assertThat(cb).isEqualTo(all);
        }
    }

    // With a count, at most that many extents in one call; count 0 (fiemapCount) is the number of extents; a range
    // gives the extents in it; a file that is all hole has none.
    @Test
    void fiemapCountsAndRanges() throws Exception {
        Path p = sparse("sparse", 3, 1 << 20);
        Path hole = Files.write(dir.resolve("hole"), new byte[0]);
        try (AioEngine aio = nativeEngine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0));
                AioFile h = await(aio, aio.open(hole, O_RDWR, 0))) {
            skipWithoutFiemap(aio, f);
            List<FiemapExtent> all = await(aio, aio.fiemap(f, 0, null, FIEMAP_FLAG_SYNC, null));
            assertThat(await(aio, aio.fiemap(f, 0, null, 0, 1))).containsExactly(all.get(0));
            assertThat(await(aio, aio.fiemapCount(f, 0, null, 0))).isEqualTo(3L);
            List<FiemapExtent> range = await(aio, aio.fiemap(f, all.get(1).logical(), 4096L, 0, null));
            assertThat(range).hasSize(1); // ext4 marks the last extent of the range FIEMAP_EXTENT_LAST too
            assertThat(range.get(0).logical()).isEqualTo(all.get(1).logical());
            assertThat(range.get(0).physical()).isEqualTo(all.get(1).physical());
            assertThat(await(aio, aio.fiemap(f, 4096, 4096L, 0, null))).as("a hole").isEmpty();
            await(aio, aio.truncate(h, 1 << 20));
            assertThat(await(aio, aio.fiemap(h, 0, null, 0, null))).as("all hole").isEmpty();
        }
    }

    // Every extent of a file with more extents than one FIEMAP batch (64) when the count is not given, as IO::AIO
    // loops for undef; the same list as filefrag -v.
    @Test
    void fiemapWithoutCountReturnsEveryExtent() throws Exception {
        Path p = sparse("many", 150, 4096);
        try (AioEngine aio = nativeEngine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            skipWithoutFiemap(aio, f);
            List<FiemapExtent> all = await(aio, aio.fiemap(f, 0, null, FIEMAP_FLAG_SYNC, null));
            assertThat(all).hasSize(150);
            assertThat(all.get(149).flags() & FIEMAP_EXTENT_LAST).isEqualTo(FIEMAP_EXTENT_LAST);
            assertThat(all).extracting(e -> new FiemapExtent(e.logical(), e.physical(), e.length(), e.flags() & FIEMAP_EXTENT_LAST))
                    .containsExactlyElementsOf(filefrag(p));
        }
    }

    // fiemap's errors: flags the file system does not take are EBADR (IO::AIO::EBADR), a closed file EBADF; bad
    // arguments are refused at the call; the portable backend says ENOSYS.
    @Test
    void fiemapErrors() throws Exception {
        Path p = sparse("sparse", 1, 0);
        try (AioEngine aio = nativeEngine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            skipWithoutFiemap(aio, f);
            FsTesting.Outcome<List<FiemapExtent>> bad = callback(aio, cb -> aio.fiemap(f, 0, null, 0x4000, null, cb));
            assertThat(bad.errno()).isEqualTo(AioConstants.EBADR);
            assertThatThrownBy(() -> aio.fiemap(f, 0, null, 0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fiemapCount");
            assertThatThrownBy(() -> aio.fiemap(f, -1, null, 0, null)).isInstanceOf(IllegalArgumentException.class);
        }
        try (AioEngine aio = nioEngine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            assertFails(aio, Errno.ENOSYS, "fiemap", f, () -> aio.fiemap(f, 0, null, 0, null), cb -> aio.fiemap(f, 0, null, 0, null, cb));
        }
    }

    // FIONREAD counts the bytes waiting in a pipe; GETFLAGS/SETFLAGS read and set an inode flag (noatime) on ext4; the
    // raw ioctl with a caller's direct buffer is the same call; a heap buffer or one smaller than the request's size
    // is refused at the call.
    @Test
    void typedAndRawIoctls() throws Exception {
        Path p = sparse("flags", 1, 0);
        try (AioEngine aio = nativeEngine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            AioFile[] pipe = aio.pipe(AioConstants.O_CLOEXEC);
            try (AioFile r = pipe[0]; AioFile w = pipe[1]) {
                assertThat(await(aio, aio.fionread(r))).isZero();
                await(aio, aio.write(w, null, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))));
                assertThat(await(aio, aio.fionread(r))).isEqualTo(5);
            }
            FsTesting.Outcome<Integer> got = callback(aio, cb -> aio.getFlags(f, cb));
            skipUnless(got.errno() != Errno.ENOTTY.code() && got.errno() != Errno.EOPNOTSUPP.code(),
                    "the temporary directory's file system has no inode flags");
            int flags = ok(got);
            await(aio, aio.setFlags(f, flags | FS_NOATIME_FL));
            assertThat(await(aio, aio.getFlags(f)) & FS_NOATIME_FL).isEqualTo(FS_NOATIME_FL);
            ByteBuffer raw = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
            assertThat(await(aio, aio.ioctl(f, FS_IOC_GETFLAGS, raw))).isZero();
            assertThat(raw.getInt(0)).isEqualTo(flags | FS_NOATIME_FL);
            await(aio, aio.setFlags(f, flags));
            assertThatThrownBy(() -> aio.ioctl(f, FS_IOC_GETFLAGS, ByteBuffer.allocate(8))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.ioctl(f, FS_IOC_GETFLAGS, ByteBuffer.allocateDirect(4))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // FICLONE and FICLONERANGE on a file system without reflinks (ext4 and tmpfs here) fail with the kernel's errno:
    // EOPNOTSUPP ("Operation not supported"), not a pretended copy; the portable backend says ENOSYS.
    @Test
    void ficloneWithoutReflinksFailsWithTheKernelsErrno() throws Exception {
        Path src = sparse("src", 2, 0);
        String fsType = FsTesting.sh("stat", "-f", "-c", "%T", dir.toString()).trim();
        skipUnless(fsType.equals("ext2/ext3") || fsType.equals("tmpfs"), "reflinks may work on " + fsType + " (the test expects a file system without them)");
        try (AioEngine aio = nativeEngine(); AioFile s = await(aio, aio.open(src, O_RDONLY, 0));
                AioFile d = await(aio, aio.open(dir.resolve("dst"), O_RDWR | O_CREAT, 0644))) {
            assertFails(aio, Errno.EOPNOTSUPP, "ficlone", d, () -> aio.ficlone(d, s), cb -> aio.ficlone(d, s, cb));
            assertFails(aio, Errno.EOPNOTSUPP, "ficlonerange", d, () -> aio.ficloneRange(d, s, 0, 4096, 0),
                    cb -> aio.ficloneRange(d, s, 0, 4096, 0, cb));
        }
        try (AioEngine aio = nioEngine(); AioFile s = await(aio, aio.open(src, O_RDONLY, 0));
                AioFile d = await(aio, aio.open(dir.resolve("dst2"), O_RDWR | O_CREAT, 0644))) {
            assertFails(aio, Errno.ENOSYS, "ficlone", d, () -> aio.ficlone(d, s), cb -> aio.ficlone(d, s, cb));
        }
    }

    // mlock of a mapping locks its pages (VmLck in /proc/self/status grows; as root RLIMIT_MEMLOCK does not apply),
    // munlock undoes it; madvise takes known advice and says EINVAL for unknown advice; mlockall with no flags is
    // EINVAL, MCL_CURRENT|MCL_ONFAULT works and munlockall undoes it; the portable backend says ENOSYS.
    @Test
    void mlockAndMadviseOverMappings() throws Exception {
        Path p = sparse("mapped", 64, 0);
        try (AioEngine aio = nativeEngine(); FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, 64 * 4096);
            long before = vmLckKb();
            await(aio, aio.mlock(map, 0, null));
            assertThat(vmLckKb()).as("VmLck after mlock of 256 KiB").isGreaterThanOrEqualTo(before + 256);
            aio.munlock(map, 0, null);
            assertThat(vmLckKb()).as("VmLck after munlock").isEqualTo(before);
            aio.madvise(map, 4096, 8192L, MADV_WILLNEED);
            aio.madvise(map, 0, null, MADV_SEQUENTIAL);
            assertThatThrownBy(() -> aio.madvise(map, 0, null, 12345)).isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.EINVAL.code()));
            assertFails(aio, Errno.EINVAL, "mlockall", null, () -> aio.mlockall(0), cb -> aio.mlockall(0, cb));
            await(aio, aio.mlockall(MCL_CURRENT | MCL_ONFAULT));
            aio.munlockall();
            assertThatThrownBy(() -> aio.mlock(ByteBuffer.allocate(10), 0, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.mlock(map, 0, 64 * 4096 + 1L)).isInstanceOf(IllegalArgumentException.class);
        }
        try (AioEngine aio = nioEngine()) {
            ByteBuffer direct = ByteBuffer.allocateDirect(4096);
            assertFails(aio, Errno.ENOSYS, "mlock", null, () -> aio.mlock(direct, 0, null), cb -> aio.mlock(direct, 0, null, cb));
        }
    }

    private static long vmLckKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmLck:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmLck in /proc/self/status");
    }

    // splice moves bytes from a pipe into a file at an offset without a user-space copy, tee duplicates a pipe's bytes
    // into another pipe without consuming them; F_SETPIPE_SZ/F_GETPIPE_SZ (IO::AIO::pipesize) resize a pipe; splice between two regular files (no pipe) is EINVAL.
    @Test
    void spliceAndTeeThroughPipes() throws Exception {
        Path out = dir.resolve("out");
        try (AioEngine aio = nativeEngine(); AioFile file = await(aio, aio.open(out, O_RDWR | O_CREAT, 0644))) {
            AioFile[] a = aio.pipe(0);
            AioFile[] b = aio.pipe(0);
            try (AioFile ar = a[0]; AioFile aw = a[1]; AioFile br = b[0]; AioFile bw = b[1]) {
                await(aio, aio.write(aw, null, ByteBuffer.wrap("spliced!".getBytes(StandardCharsets.US_ASCII))));
                assertThat(await(aio, aio.tee(ar, bw, 100, 0))).isEqualTo(8L);
                assertThat(await(aio, aio.fcntl(bw, AioConstants.F_SETPIPE_SZ, 1 << 20))).as("pipesize set").isEqualTo(1L << 20);
                assertThat(await(aio, aio.fcntl(br, AioConstants.F_GETPIPE_SZ, 0))).as("pipesize").isEqualTo(1L << 20);
                assertThat(await(aio, aio.splice(ar, null, file, 10L, 100, 0))).isEqualTo(8L);
                assertThat(await(aio, aio.fionread(ar))).as("consumed").isZero();
                ByteBuffer copy = ByteBuffer.allocate(16);
                assertThat(await(aio, aio.read(br, null, copy))).isEqualTo(8);
                assertThat(new String(copy.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("spliced!");
                FsTesting.Outcome<Long> noPipe = callback(aio, cb -> aio.splice(file, 0L, file, 100L, 4, 0, cb));
                assertThat(Errno.describe(noPipe.errno())).isEqualTo(Errno.describe(Errno.EINVAL.code()));
            }
            byte[] content = Files.readAllBytes(out);
            assertThat(new String(content, 10, 8, StandardCharsets.US_ASCII)).isEqualTo("spliced!");
        }
        try (AioEngine aio = nioEngine()) {
            assertThatThrownBy(() -> aio.pipe(0)).isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.ENOSYS.code()));
        }
    }

    // min_fdlimit: a limit already met changes nothing and returns the soft limit; one above it is granted up to the
    // hard limit (root may raise the hard limit too).
    @Test
    void minFdlimitRaisesTheSoftLimit() throws Exception {
        try (AioEngine aio = nativeEngine()) {
            long soft = softNofile();
            assertThat(aio.minFdlimit(1)).isEqualTo(soft);
            assertThat(aio.minFdlimit(soft)).isEqualTo(soft);
            assertThatThrownBy(() -> aio.minFdlimit(0)).isInstanceOf(IllegalArgumentException.class);
        }
        try (AioEngine aio = nioEngine()) {
            assertThatThrownBy(() -> aio.minFdlimit(10)).isInstanceOf(AioException.class);
        }
    }

    private static long softNofile() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (l.startsWith("Max open files")) {
                return Long.parseLong(l.trim().split("\\s+")[3]);
            }
        }
        throw new AssertionError("no Max open files in /proc/self/limits");
    }

    // The portable backend cannot make these calls and says ENOSYS for each, never pretending: fiemap, ioctl (raw and
    // typed), reflinks, mlock, mlockall, splice, tee (requests, both forms); munlock, munlockall, madvise, min_fdlimit,
    // pipe2 (synchronous helpers, AioException). Runs on every JVM (Java 17 included).
    @Test
    void thePortableBackendSaysEnosys() throws Exception {
        Path p = Files.write(dir.resolve("plain"), new byte[8192]);
        try (AioEngine aio = nioEngine(); AioFile f = await(aio, aio.open(p, O_RDWR, 0));
                AioFile g = await(aio, aio.open(p, O_RDONLY, 0)); FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer direct = ByteBuffer.allocateDirect(8);
            assertFails(aio, Errno.ENOSYS, "fiemap", f, () -> aio.fiemapCount(f, 0, null, 0), cb -> aio.fiemapCount(f, 0, null, 0, cb));
            assertFails(aio, Errno.ENOSYS, "ioctl", f, () -> aio.ioctl(f, FS_IOC_GETFLAGS, direct), cb -> aio.ioctl(f, FS_IOC_GETFLAGS, direct, cb));
            assertFails(aio, Errno.ENOSYS, "fionread", f, () -> aio.fionread(f), cb -> aio.fionread(f, cb));
            assertFails(aio, Errno.ENOSYS, "getflags", f, () -> aio.getFlags(f), cb -> aio.getFlags(f, cb));
            assertFails(aio, Errno.ENOSYS, "setflags", f, () -> aio.setFlags(f, 0), cb -> aio.setFlags(f, 0, cb));
            assertFails(aio, Errno.ENOSYS, "ficlonerange", f, () -> aio.ficloneRange(f, g, 0, 0, 0), cb -> aio.ficloneRange(f, g, 0, 0, 0, cb));
            assertFails(aio, Errno.ENOSYS, "mlockall", null, () -> aio.mlockall(MCL_CURRENT), cb -> aio.mlockall(MCL_CURRENT, cb));
            assertFails(aio, Errno.ENOSYS, "splice", g, () -> aio.splice(g, 0L, f, 0L, 1, 0), cb -> aio.splice(g, 0L, f, 0L, 1, 0, cb));
            assertFails(aio, Errno.ENOSYS, "tee", g, () -> aio.tee(g, f, 1, 0), cb -> aio.tee(g, f, 1, 0, cb));
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, 8192);
            for (org.junit.jupiter.api.function.Executable helper : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> aio.munlock(map, 0, null), aio::munlockall, () -> aio.madvise(map, 0, null, MADV_WILLNEED),
                    () -> aio.minFdlimit(10), () -> aio.pipe(0))) {
                assertThatThrownBy(helper::execute).isInstanceOf(AioException.class)
                        .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.ENOSYS.code()));
            }
        }
    }

    // mmap maps a file until close(), not until the GC: the bytes are the file's, a PROT_READ buffer is read-only, a
    // MAP_SHARED PROT_WRITE buffer writes the file, mlock and madvise take the buffer, close() unmaps at once (the
    // file's line leaves /proc/self/maps) and a use of the buffer afterwards throws IllegalStateException instead of
    // faulting; anonymous memory works; bad arguments are refused at the call; the portable backend says ENOSYS.
    @Test
    void mmapIsUnmappedOnClose() throws Exception {
        Path p = Files.write(dir.resolve("mapped"), "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        try (AioEngine aio = nativeEngine(); AioFile ro = await(aio, aio.open(p, O_RDONLY, 0));
                AioFile rw = await(aio, aio.open(p, O_RDWR, 0))) {
            long before = mappingsOf(p);
            org.ioaio.AioMapping m = aio.mmap(ro, 0, 10000, AioConstants.PROT_READ, AioConstants.MAP_SHARED);
            ByteBuffer b = m.buffer();
            assertThat(mappingsOf(p)).isEqualTo(before + 1);
            assertThat(b.capacity()).isEqualTo(10000);
            assertThat(b.get(9999)).isEqualTo((byte) '9');
            assertThat(b.isReadOnly()).isTrue();
            await(aio, aio.mlock(b, 0, null));
            aio.munlock(b, 0, null);
            aio.madvise(b, 0, null, MADV_WILLNEED);
            m.close();
            m.close(); // idempotent
            assertThat(m.isOpen()).isFalse();
            assertThat(mappingsOf(p)).as("unmapped at close").isEqualTo(before);
            assertThatThrownBy(() -> b.get(0)).isInstanceOf(IllegalStateException.class);

            try (org.ioaio.AioMapping w = aio.mmap(rw, 4096, 4096, AioConstants.PROT_READ | AioConstants.PROT_WRITE, AioConstants.MAP_SHARED)) {
                w.buffer().put(0, (byte) 'X');
                assertThat(w.buffer().get(0)).isEqualTo((byte) 'X');
            }
            assertThat(Files.readAllBytes(p)[4096]).as("written through the shared mapping").isEqualTo((byte) 'X');
            try (org.ioaio.AioMapping anon = aio.mmap(null, 0, 8192, AioConstants.PROT_READ | AioConstants.PROT_WRITE,
                    AioConstants.MAP_PRIVATE | AioConstants.MAP_ANONYMOUS)) {
                anon.buffer().putLong(8184, 42);
                assertThat(anon.buffer().getLong(8184)).isEqualTo(42);
            }
            assertThatThrownBy(() -> aio.mmap(ro, 0, 10, AioConstants.PROT_READ | AioConstants.PROT_WRITE, AioConstants.MAP_SHARED))
                    .isInstanceOf(AioException.class).satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.EACCES.code()));
            assertThatThrownBy(() -> aio.mmap(ro, 1, 10, AioConstants.PROT_READ, AioConstants.MAP_SHARED))
                    .isInstanceOf(AioException.class).satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.EINVAL.code()));
            assertThatThrownBy(() -> aio.mmap(ro, 0, 10, AioConstants.PROT_WRITE, AioConstants.MAP_SHARED)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.mmap(ro, 0, 10, AioConstants.PROT_READ, AioConstants.MAP_SHARED | AioConstants.MAP_FIXED))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.mmap(null, 0, 10, AioConstants.PROT_READ, AioConstants.MAP_SHARED)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.mmap(ro, 0, 0, AioConstants.PROT_READ, AioConstants.MAP_SHARED)).isInstanceOf(IllegalArgumentException.class);
            assertThat(mappingsOf(p)).as("nothing left mapped").isEqualTo(before);
        }
        try (AioEngine aio = nioEngine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            assertThatThrownBy(() -> aio.mmap(f, 0, 10, AioConstants.PROT_READ, AioConstants.MAP_SHARED)).isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.ENOSYS.code()));
        }
    }

    /** The lines of /proc/self/maps that map {@code p}. */
    private static long mappingsOf(Path p) throws Exception {
        String name = p.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + name)).count();
    }
}
