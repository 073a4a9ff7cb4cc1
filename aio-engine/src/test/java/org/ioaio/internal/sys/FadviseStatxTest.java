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
import static org.ioaio.AioConstants.AT_EMPTY_PATH;
import static org.ioaio.AioConstants.AT_NO_AUTOMOUNT;
import static org.ioaio.AioConstants.AT_STATX_DONT_SYNC;
import static org.ioaio.AioConstants.AT_STATX_FORCE_SYNC;
import static org.ioaio.AioConstants.AT_SYMLINK_NOFOLLOW;
import static org.ioaio.AioConstants.O_NONBLOCK;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.POSIX_FADV_DONTNEED;
import static org.ioaio.AioConstants.POSIX_FADV_NOREUSE;
import static org.ioaio.AioConstants.POSIX_FADV_NORMAL;
import static org.ioaio.AioConstants.POSIX_FADV_RANDOM;
import static org.ioaio.AioConstants.POSIX_FADV_SEQUENTIAL;
import static org.ioaio.AioConstants.POSIX_FADV_WILLNEED;
import static org.ioaio.AioConstants.STATX_ALL;
import static org.ioaio.AioConstants.STATX_BASIC_STATS;
import static org.ioaio.AioConstants.STATX_BLOCKS;
import static org.ioaio.AioConstants.STATX_BTIME;
import static org.ioaio.AioConstants.STATX_SIZE;
import static org.ioaio.internal.sys.SysTesting.assertErrno;
import static org.ioaio.internal.sys.SysTesting.output;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code posix_fadvise} and {@code statx} on each syscall layer: the native layers make the calls
 * (checked against {@code fincore(1)}, {@code stat(1)} and IO::AIO's own {@code fadvise} and
 * {@code aio_stat}); the portable layer says ENOSYS for fadvise and reports no birth time, never
 * guessing one. Every errno each can raise, on each layer.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.ioaio.internal.sys.Layer#all")
@ExtendWith(EngineInvariants.class)
class FadviseStatxTest {

    private static final int[] ADVICE = {
        POSIX_FADV_NORMAL, POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL, POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE
    };

    @TempDir
    Path dir;

    @Parameter
    Layer layer;

    private Syscalls sys;

    @BeforeEach
    void layer() {
        sys = layer.require();
    }

    private static void skip(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED: " + reason);
        }
        assumeTrue(condition, reason);
    }

    private Path file(String name, int size) throws Exception {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return Files.write(dir.resolve(name), data);
    }

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        output("mkfifo", p.toString());
        return p;
    }

    // ---------------------------------------------------------------- fadvise

    /** Every advice over any range (0 = to the end, past the end too) is posix_fadvise's 0 natively; the portable layer says ENOSYS. */
    @Test
    void fadviseTakesEveryAdviceOrSaysEnosys() throws Exception {
        Path p = file("f", 10_000);
        try (FileHandle r = sys.open(p, O_RDONLY, 0); FileHandle w = sys.open(p, O_WRONLY, 0)) {
            for (int advice : ADVICE) {
                for (long[] range : new long[][] {{0, 0}, {4096, 4096}, {1 << 20, 1 << 20}}) {
                    for (FileHandle h : List.of(r, w)) {
                        if (layer.isNative()) {
                            assertThat(sys.fadvise(h, range[0], range[1], advice)).as("advice %d", advice).isZero();
                        } else {
                            assertErrno(Errno.ENOSYS, () -> sys.fadvise(h, range[0], range[1], advice));
                        }
                    }
                }
            }
        }
        assertThat(Files.size(p)).as("advice never changes the file").isEqualTo(10_000);
    }

    /** fadvise's errnos: EBADF (closed, another layer's handle, O_PATH), EINVAL (advice, negative length), ESPIPE (a FIFO). */
    @Test
    void fadviseErrnos() throws Exception {
        Path p = file("f", 100);
        FileHandle closed = sys.open(p, O_RDONLY, 0);
        sys.close(closed);
        assertErrno(Errno.EBADF, () -> sys.fadvise(closed, 0, 0, POSIX_FADV_NORMAL));
        Syscalls other = layer.isNative() ? new NioSyscalls() : Layer.nativeLayer().syscalls();
        if (other != null) {
            try (FileHandle foreign = other.open(p, O_RDONLY, 0)) {
                assertErrno(Errno.EBADF, () -> sys.fadvise(foreign, 0, 0, POSIX_FADV_NORMAL));
            }
        }
        try (FileHandle h = sys.open(p, O_RDONLY, 0)) {
            assertErrno(Errno.EINVAL, () -> sys.fadvise(h, 0, 0, 6));
            assertErrno(Errno.EINVAL, () -> sys.fadvise(h, 0, 0, -1));
            assertErrno(Errno.EINVAL, () -> sys.fadvise(h, 0, -1, POSIX_FADV_NORMAL));
        }
        Path fifo = fifo("fifo");
        if (layer.isNative()) {
            try (FileHandle f = sys.open(fifo, O_RDWR | O_NONBLOCK, 0)) {
                assertErrno(Errno.ESPIPE, () -> sys.fadvise(f, 0, 0, POSIX_FADV_WILLNEED));
            }
            try (FileHandle path = sys.open(p, O_PATH, 0)) {
                assertErrno(Errno.EBADF, () -> sys.fadvise(path, 0, 0, POSIX_FADV_NORMAL));
            }
        } else {
            try (FileHandle f = sys.open(fifo, O_RDWR, 0)) {
                assertErrno(Errno.ENOSYS, () -> sys.fadvise(f, 0, 0, POSIX_FADV_WILLNEED));
            }
            assertErrno(Errno.ENOSYS, () -> sys.open(p, O_PATH, 0));
        }
    }

    /**
     * DONTNEED drops a synced file's pages from the page cache and WILLNEED brings them back, as
     * fincore(1) counts them (native; the portable layer's ENOSYS changes nothing).
     */
    @Test
    void fadviseMovesPagesInAndOutOfThePageCacheAsFincoreSees() throws Exception {
        skip(Files.isExecutable(Path.of("/usr/bin/fincore")), "fincore(1) (util-linux) is missing");
        skip(!output("stat", "-f", "-c", "%T", dir.toString()).equals("tmpfs"), dir + " is on tmpfs, whose pages cannot be dropped");
        int pages = 256;
        Path p = file("cached", pages * 4096);
        try (FileHandle h = sys.open(p, O_RDONLY, 0)) {
            sys.fsync(h); // only clean pages can be dropped
            if (!layer.isNative()) {
                assertErrno(Errno.ENOSYS, () -> sys.fadvise(h, 0, 0, POSIX_FADV_DONTNEED));
                return;
            }
            assertThat(sys.fadvise(h, 0, 0, POSIX_FADV_DONTNEED)).isZero();
            assertThat(residentPages(p)).as("pages cached after DONTNEED").isZero();
            assertThat(sys.fadvise(h, 0, 0, POSIX_FADV_WILLNEED)).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (residentPages(p) < pages && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // polling: WILLNEED starts the reads, the disk finishes them
            }
            assertThat(residentPages(p)).as("pages cached after WILLNEED").isEqualTo(pages);
            assertThat(sys.fadvise(h, 0, 64 * 4096, POSIX_FADV_DONTNEED)).isZero();
            assertThat(residentPages(p)).as("pages cached after DONTNEED of the first 64").isEqualTo(pages - 64);
        }
    }

    private static long residentPages(Path p) throws Exception {
        return Long.parseLong(output("fincore", "--noheadings", "--raw", "-o", "PAGES", p.toString()));
    }

    /** The native layer's fadvise gives the errno IO::AIO::fadvise returns, for the same calls (perl, IO::AIO 4.8). */
    @Test
    void fadviseAgreesWithIoAio() throws Exception {
        skip(layer.isNative(), "the portable layer has no posix_fadvise (ENOSYS, as IO::AIO where there is none)");
        skip(SysTesting.run(List.of("perl", "-MIO::AIO", "-e", "1")).status() == 0, "perl's IO::AIO is not installed");
        Path p = file("f", 100);
        Path fifo = fifo("fifo");
        String script = "use IO::AIO; open my $f, '<', $ARGV[0] or die; sysopen my $p, $ARGV[1], 2 | 04000 or die;"
                + " print join(' ', IO::AIO::fadvise($f, 0, 0, 3), IO::AIO::fadvise($f, 0, 0, 99),"
                + " IO::AIO::fadvise($f, 0, -1, 0), IO::AIO::fadvise($p, 0, 0, 3))";
        String[] perl = output("perl", "-e", script, p.toString(), fifo.toString()).split(" ");
        int[] ours = new int[4];
        try (FileHandle f = sys.open(p, O_RDONLY, 0); FileHandle q = sys.open(fifo, O_RDWR | O_NONBLOCK, 0)) {
            ours[0] = errnoOf(() -> sys.fadvise(f, 0, 0, POSIX_FADV_WILLNEED));
            ours[1] = errnoOf(() -> sys.fadvise(f, 0, 0, 99));
            ours[2] = errnoOf(() -> sys.fadvise(f, 0, -1, POSIX_FADV_NORMAL));
            ours[3] = errnoOf(() -> sys.fadvise(q, 0, 0, POSIX_FADV_WILLNEED));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(Errno.describe(ours[i])).as("call %d", i).isEqualTo(Errno.describe(Integer.parseInt(perl[i])));
        }
    }

    private static int errnoOf(SysTesting.Call call) throws Exception {
        try {
            call.run();
            return 0;
        } catch (SyscallException e) {
            return e.errno();
        }
    }

    // ---------------------------------------------------------------- statx

    /**
     * statx of a file, a directory and a symlink: the fields stat gives, and the birth time exactly
     * as stat(1) prints it ({@code %W}, {@code %.9W}; "-" for {@code %w} where there is none) on the
     * native layers; none on the portable layer, whose mask says which fields it filled.
     */
    @Test
    void statxReportsStatsFieldsAndTheBirthTimeAsStatCommandDoes() throws Exception {
        Path f = file("f", 1234);
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
        for (Path p : List.of(f, dir, link)) {
            boolean follow = !p.equals(link);
            FileStat st = sys.statx(p, follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_BTIME);
            FileStat plain = follow ? sys.stat(p) : sys.lstat(p);
            assertSameFields(st, plain);
            String[] cmd = output("stat", "-c", "%w|%W|%.9W", p.toString()).split("\\|");
            if (!layer.isNative()) {
                assertThat(st.mask()).as("portable mask").isEqualTo(STATX_BASIC_STATS & ~STATX_BLOCKS);
                assertThat(st.birthTime()).isEmpty();
                assertThat(st.btimeSec()).isZero();
                assertThat(st.btimeNsec()).isZero();
                continue;
            }
            assertThat(st.mask() & STATX_BASIC_STATS).as("native mask").isEqualTo(STATX_BASIC_STATS);
            assertThat(st.blocks()).isEqualTo(Long.parseLong(output("stat", "-c", "%b", p.toString())));
            if (cmd[0].equals("-")) {
                assertThat(st.birthTime()).as("stat(1) knows no birth time of %s", p).isEmpty();
                assertThat(st.mask() & STATX_BTIME).isZero();
            } else {
                assertThat(st.mask() & STATX_BTIME).as("mask has STATX_BTIME").isEqualTo(STATX_BTIME);
                assertThat(st.btimeSec()).as("%%W of %s", p).isEqualTo(Long.parseLong(cmd[1]));
                assertThat(st.btimeNsec()).as("%%.9W of %s", p).isEqualTo(Integer.parseInt(cmd[2].substring(cmd[2].indexOf('.') + 1)));
                assertThat(st.birthTime()).contains(Instant.ofEpochSecond(st.btimeSec(), st.btimeNsec()));
            }
        }
    }

    /**
     * The birth time does not move when the file's times are set, its mtime does; a file made later is
     * born later; asked for the birth time alone, the kernel may leave other times out, and the mask says so.
     */
    @Test
    void theBirthTimeIsTheCreationNotTheLastChange() throws Exception {
        skip(layer.isNative(), "the portable layer reports no birth time");
        Path f = file("f", 10);
        FileStat born = sys.statx(f, 0, STATX_BTIME);
        skip(born.birthTime().isPresent(), "the file system of " + dir + " keeps no birth time");
        if ((born.mask() & org.ioaio.AioConstants.STATX_MTIME) == 0) {
            assertThat(born.mtimeSec()).as("a time not in the mask is not filled in").isZero();
        }
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        FileStat later = sys.statx(f, 0, STATX_BASIC_STATS | STATX_BTIME);
        assertThat(later.birthTime()).isEqualTo(born.birthTime());
        assertThat(later.mtime()).isEqualTo(Instant.parse("2001-01-01T00:00:00Z"));
        assertThat(later.birthTime().orElseThrow()).isAfter(later.mtime());
        Path g = file("g", 10);
        assertThat(sys.statx(g, 0, STATX_BTIME).birthTime().orElseThrow()).isAfterOrEqualTo(born.birthTime().orElseThrow());
    }

    /** fstatx of an open file is statx of the file itself, also once its name is gone (the portable layer through /proc/self/fd). */
    @Test
    void fstatxOfAnOpenFile() throws Exception {
        Path f = file("f", 77);
        try (FileHandle h = sys.open(f, O_RDONLY, 0)) {
            FileStat byFile = sys.fstatx(h, 0, STATX_ALL);
            assertSameFields(byFile, sys.statx(f, 0, STATX_ALL));
            assertThat(byFile.birthTime()).isEqualTo(sys.statx(f, 0, STATX_ALL).birthTime());
            assertThat(sys.fstatx(h, AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_SIZE).size()).isEqualTo(77);
            Files.delete(f);
            FileStat unlinked = sys.fstatx(h, 0, STATX_BASIC_STATS);
            assertThat(unlinked.nlink()).isZero();
            assertThat(unlinked.ino()).isEqualTo(byFile.ino());
            assertThat(unlinked.size()).isEqualTo(77);
        }
    }

    /** statx's errnos, as stat's plus EINVAL for flags and mask statx(2) rejects, and EBADF for a closed handle. */
    @Test
    void statxErrnos() throws Exception {
        Path f = file("f", 1);
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("missing"));
        Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        assertErrno(Errno.ENOENT, () -> sys.statx(dir.resolve("missing"), 0, STATX_BASIC_STATS));
        assertErrno(Errno.ENOENT, () -> sys.statx(dir.resolve("dangling"), 0, STATX_BASIC_STATS));
        assertThat(sys.statx(dir.resolve("dangling"), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS).isSymbolicLink()).isTrue();
        assertErrno(Errno.ENOENT, () -> sys.statx(Path.of(""), 0, STATX_BASIC_STATS));
        assertErrno(Errno.ENOTDIR, () -> sys.statx(f.resolve("below"), 0, STATX_BASIC_STATS));
        assertErrno(Errno.ELOOP, () -> sys.statx(dir.resolve("loop"), 0, STATX_BASIC_STATS));
        assertErrno(Errno.ENAMETOOLONG, () -> sys.statx(dir.resolve("n".repeat(300)), 0, STATX_BASIC_STATS));
        assertErrno(Errno.EINVAL, () -> sys.statx(f, 0x1, STATX_BASIC_STATS));
        assertErrno(Errno.EINVAL, () -> sys.statx(f, AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS));
        assertErrno(Errno.EINVAL, () -> sys.statx(f, 0, 0x8000_0000));
        assertThat(sys.statx(f, AT_NO_AUTOMOUNT | AT_STATX_FORCE_SYNC, 0).size()).isEqualTo(1);
        FileHandle h = sys.open(f, O_RDONLY, 0);
        sys.close(h);
        assertErrno(Errno.EBADF, () -> sys.fstatx(h, 0, STATX_BASIC_STATS));
        try (FileHandle open = sys.open(f, O_RDONLY, 0)) {
            assertErrno(Errno.EINVAL, () -> sys.fstatx(open, 0x1, STATX_BASIC_STATS));
        }
    }

    /**
     * The native layer's statx gives the fields IO::AIO's aio_stat gives for the same file ({@code stat _}
     * and {@code st_xtimensec}); IO::AIO 4.8's {@code st_btime} is 0 on Linux (its manual: only where the
     * OS and perl support it), or, should a later IO::AIO learn it, the same birth time.
     */
    @Test
    void statxAgreesWithIoAio() throws Exception {
        skip(layer.isNative(), "the portable layer is compared with stat in the other tests");
        skip(SysTesting.run(List.of("perl", "-MIO::AIO", "-e", "1")).status() == 0, "perl's IO::AIO is not installed");
        Path f = file("f", 4321);
        String script = "use IO::AIO; aio_stat $ARGV[0], sub { my @s = stat _; my @ns = IO::AIO::st_xtimensec;"
                + " print join(' ', @s[0 .. 7], @s[8 .. 10], @ns[0 .. 2], IO::AIO::st_btimesec, IO::AIO::st_btimensec) }; IO::AIO::flush";
        String[] v = output("perl", "-e", script, f.toString()).split(" ");
        FileStat st = sys.statx(f, 0, STATX_BASIC_STATS | STATX_BTIME);
        assertThat(Long.parseLong(v[0])).as("dev").isEqualTo(st.dev());
        assertThat(Long.parseLong(v[1])).as("ino").isEqualTo(st.ino());
        assertThat(Integer.parseInt(v[2])).as("mode").isEqualTo(st.mode());
        assertThat(Long.parseLong(v[3])).as("nlink").isEqualTo(st.nlink());
        assertThat(Long.parseLong(v[4])).as("uid").isEqualTo(Integer.toUnsignedLong(st.uid()));
        assertThat(Long.parseLong(v[5])).as("gid").isEqualTo(Integer.toUnsignedLong(st.gid()));
        assertThat(Long.parseLong(v[6])).as("rdev").isEqualTo(st.rdev());
        assertThat(Long.parseLong(v[7])).as("size").isEqualTo(st.size());
        assertThat(Long.parseLong(v[9])).as("mtime").isEqualTo(st.mtimeSec());
        assertThat(Long.parseLong(v[10])).as("ctime").isEqualTo(st.ctimeSec());
        assertThat(Integer.parseInt(v[12])).as("mtime nsec").isEqualTo(st.mtimeNsec());
        assertThat(Integer.parseInt(v[13])).as("ctime nsec").isEqualTo(st.ctimeNsec());
        long perlBtime = Long.parseLong(v[14]);
        if (perlBtime != 0) {
            assertThat(perlBtime).as("IO::AIO::st_btimesec").isEqualTo(st.btimeSec());
            assertThat(Integer.parseInt(v[15])).as("IO::AIO::st_btimensec").isEqualTo(st.btimeNsec());
        }
    }

    /** Every field but the mask and the birth time. */
    private static void assertSameFields(FileStat a, FileStat b) {
        assertThat(a.dev()).as("dev").isEqualTo(b.dev());
        assertThat(a.ino()).as("ino").isEqualTo(b.ino());
        assertThat(a.mode()).as("mode").isEqualTo(b.mode());
        assertThat(a.nlink()).as("nlink").isEqualTo(b.nlink());
        assertThat(a.uid()).as("uid").isEqualTo(b.uid());
        assertThat(a.gid()).as("gid").isEqualTo(b.gid());
        assertThat(a.rdev()).as("rdev").isEqualTo(b.rdev());
        assertThat(a.size()).as("size").isEqualTo(b.size());
        assertThat(a.mtime()).as("mtime").isEqualTo(b.mtime());
        assertThat(a.ctime()).as("ctime").isEqualTo(b.ctime());
        assertThat(a.blksize()).as("blksize").isEqualTo(b.blksize());
        assertThat(a.blocks()).as("blocks").isEqualTo(b.blocks());
    }
}
