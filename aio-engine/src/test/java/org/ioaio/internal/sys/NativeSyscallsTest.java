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
import static org.ioaio.AioConstants.FALLOC_FL_KEEP_SIZE;
import static org.ioaio.AioConstants.FALLOC_FL_PUNCH_HOLE;
import static org.ioaio.AioConstants.FALLOC_FL_ZERO_RANGE;
import static org.ioaio.AioConstants.O_APPEND;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_TMPFILE;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.RENAME_WHITEOUT;
import static org.ioaio.AioConstants.S_IFCHR;
import static org.ioaio.AioConstants.S_IFDIR;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.AioConstants.S_IFSOCK;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WAIT_AFTER;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WAIT_BEFORE;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WRITE;
import static org.ioaio.internal.sys.SysTesting.assertErrno;
import static org.ioaio.internal.sys.SysTesting.output;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.ioaio.AioConstants;
import org.ioaio.DirEntry;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the native layer does: everything the portable layer fakes or refuses ({@link
 * NioLimitsTest}) done exactly, checked against the kernel through coreutils. Skipped, with the
 * reason printed, where the native layer is unavailable (Java 17 to 21, not Linux).
 */
@ExtendWith(EngineInvariants.class)
class NativeSyscallsTest {

    @TempDir
    Path dir;

    private Syscalls sys;

    @BeforeEach
    void nativeLayer() {
        sys = Layer.nativeLayer().require();
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void skip(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED: " + reason);
        }
        assumeTrue(condition, reason);
    }

    private static long statBlocks(Path p) throws Exception {
        return Long.parseLong(output("stat", "-c", "%b", p.toString()));
    }

    // ---------------------------------------------------------------- mknod

    /** mknod makes a FIFO and a socket (stat -c %F says so); S_IFDIR is EPERM and a dev_t beyond 32 bits EINVAL, as in C. */
    @Test
    void mknodMakesFifosAndSockets() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(sys.mknod(fifo, S_IFIFO | 0640, 0)).isZero();
        assertThat(output("stat", "-c", "%F", fifo.toString())).isEqualTo("fifo");
        assertThat(sys.lstat(fifo).isFifo()).isTrue();
        assertThat(sys.lstat(fifo).permissions() & ~0640).isZero();
        Path sock = dir.resolve("sock");
        assertThat(sys.mknod(sock, S_IFSOCK | 0600, 0)).isZero();
        assertThat(output("stat", "-c", "%F", sock.toString())).isEqualTo("socket");
        assertErrno(Errno.EEXIST, () -> sys.mknod(fifo, S_IFIFO | 0600, 0));
        assertErrno(Errno.EPERM, () -> sys.mknod(dir.resolve("dir"), S_IFDIR | 0700, 0));
        assertErrno(Errno.EINVAL, () -> sys.mknod(dir.resolve("big"), S_IFCHR | 0600, AioConstants.makedev(1 << 16, 1)));
    }

    // ---------------------------------------------------------------- changes relative to a held directory

    /**
     * chmodAt, chownAt and utimeAt act on the entry itself, never through a symlink (ELOOP, the
     * symlink's target untouched), set set-id bits, and do not block on a FIFO nobody has open;
     * linkAt links the entry into another held directory.
     */
    @Test
    void changesAtAHeldDirectoryNeverFollowASymlink() throws Exception {
        Path f = file("f", "data");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("f"));
        Path fifo = dir.resolve("fifo");
        assertThat(sys.mknod(fifo, S_IFIFO | 0600, 0)).isZero();
        Files.createDirectory(dir.resolve("sub"));
        String untouched = output("stat", "-c", "%a %u:%g %.9Y", f.toString());
        try (TreeDir d = sys.openDir(dir, false); TreeDir sub = sys.openDir(dir.resolve("sub"), false)) {
            assertErrno(Errno.ELOOP, () -> sys.chmodAt(d, Path.of("link"), 0777));
            assertErrno(Errno.ELOOP, () -> sys.chownAt(d, Path.of("link"), 4242, 4242));
            assertErrno(Errno.ELOOP, () -> sys.utimeAt(d, Path.of("link"), Instant.EPOCH, Instant.EPOCH));
            assertThat(output("stat", "-c", "%a %u:%g %.9Y", f.toString())).as("the symlink's target").isEqualTo(untouched);

            assertThat(sys.chmodAt(d, Path.of("f"), 04750)).isZero();
            assertThat(output("stat", "-c", "%a", f.toString())).isEqualTo("4750");
            assertThat(sys.chmodAt(d, Path.of("fifo"), 0604)).isZero(); // no reader or writer: an open would block
            assertThat(output("stat", "-c", "%a", fifo.toString())).isEqualTo("604");
            assertThat(sys.chownAt(d, Path.of("fifo"), 4242, 4343)).isZero();
            assertThat(output("stat", "-c", "%u:%g", fifo.toString())).isEqualTo("4242:4343");
            Instant t = Instant.ofEpochSecond(200, 250_000_000);
            assertThat(sys.utimeAt(d, Path.of("fifo"), t, t)).isZero();
            assertThat(output("stat", "-c", "%.9Y", fifo.toString())).isEqualTo("200.250000000");
            assertThat(sys.chmodAt(d, Path.of("."), 01777)).isZero();
            assertThat(output("stat", "-c", "%a", dir.toString())).isEqualTo("1777");
            assertErrno(Errno.ENOENT, () -> sys.chmodAt(d, Path.of("missing"), 0600));

            assertThat(sys.linkAt(d, Path.of("f"), sub, Path.of("hard"))).isZero();
            assertThat(sys.lstat(dir.resolve("sub/hard")).ino()).isEqualTo(sys.lstat(f).ino());
            assertThat(sys.linkAt(d, Path.of("link"), sub, Path.of("softcopy"))).isZero();
            assertThat(Files.isSymbolicLink(dir.resolve("sub/softcopy"))).as("the symlink itself is linked").isTrue();
            assertErrno(Errno.EEXIST, () -> sys.linkAt(d, Path.of("f"), sub, Path.of("hard")));
            assertErrno(Errno.EPERM, () -> sys.linkAt(d, Path.of("sub"), d, Path.of("dirlink")));
        }
    }

    /** As root, mknod makes a character device with the given major and minor (stat -c %t:%T). */
    @Test
    void mknodMakesDevicesWithPrivilege() throws Exception {
        skip(SysTesting.uid() == 0, "not root: making a device needs CAP_MKNOD");
        Path chr = dir.resolve("null");
        long dev = AioConstants.makedev(1, 3);
        assertThat(sys.mknod(chr, S_IFCHR | 0666, dev)).isZero();
        assertThat(output("stat", "-c", "%F %t:%T", chr.toString())).isEqualTo("character special file 1:3");
        assertThat(sys.stat(chr).rdev()).isEqualTo(dev);
    }

    // ---------------------------------------------------------------- fallocate

    /** FALLOC_FL_PUNCH_HOLE|KEEP_SIZE frees the range (st_blocks drops, as stat -c %b sees), keeps the size, reads zeros. */
    @Test
    void fallocatePunchHoleFreesBlocks() throws Exception {
        byte[] data = new byte[1 << 20];
        Arrays.fill(data, (byte) 'x');
        Path p = Files.write(dir.resolve("holey"), data);
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            sys.fsync(f);
            long before = sys.fstat(f).blocks();
            assertThat(before).isEqualTo(statBlocks(p));
            try {
                sys.fallocate(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 256 << 10, 512 << 10);
            } catch (SyscallException e) {
                skip(e.errno() != Errno.EOPNOTSUPP.code(), "the file system of " + dir + " cannot punch holes");
                throw e;
            }
            FileStat after = sys.fstat(f);
            assertThat(after.size()).isEqualTo(1 << 20);
            assertThat(after.blocks()).isEqualTo(before - (512 << 10) / 512).isEqualTo(statBlocks(p));
            ByteBuffer hole = ByteBuffer.allocate(512 << 10);
            sys.pread(f, hole, 256 << 10);
            assertThat(hole.array()).containsOnly(0);
            assertErrno(Errno.EOPNOTSUPP, () -> sys.fallocate(f, FALLOC_FL_PUNCH_HOLE, 0, 4096));
        }
    }

    /** FALLOC_FL_KEEP_SIZE allocates past the end without growing the file; ZERO_RANGE zeroes a range. */
    @Test
    void fallocateKeepSizeAndZeroRange() throws Exception {
        Path p = file("keep", "0123456789");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            long before = sys.fstat(f).blocks();
            assertThat(sys.fallocate(f, FALLOC_FL_KEEP_SIZE, 0, 1 << 20)).isZero();
            assertThat(sys.fstat(f).size()).isEqualTo(10);
            assertThat(sys.fstat(f).blocks()).isGreaterThan(before).isEqualTo(statBlocks(p));
            try {
                sys.fallocate(f, FALLOC_FL_ZERO_RANGE, 2, 3);
            } catch (SyscallException e) {
                skip(e.errno() != Errno.EOPNOTSUPP.code(), "the file system of " + dir + " cannot zero ranges");
                throw e;
            }
        }
        assertThat(Files.readAllBytes(p)).containsExactly('0', '1', 0, 0, 0, '5', '6', '7', '8', '9');
    }

    // ---------------------------------------------------------------- rename2

    /** RENAME_EXCHANGE swaps two names atomically, a file and a directory too; a missing one is ENOENT. */
    @Test
    void rename2ExchangeSwaps() throws Exception {
        Path a = file("a", "A");
        Path b = file("b", "B");
        assertThat(sys.rename2(a, b, RENAME_EXCHANGE)).isZero();
        assertThat(Files.readString(a)).isEqualTo("B");
        assertThat(Files.readString(b)).isEqualTo("A");
        Path d = Files.createDirectory(dir.resolve("d"));
        assertThat(sys.rename2(a, d, RENAME_EXCHANGE)).isZero();
        assertThat(Files.isDirectory(a)).isTrue();
        assertThat(Files.readString(d)).isEqualTo("B");
        assertErrno(Errno.ENOENT, () -> sys.rename2(b, dir.resolve("missing"), RENAME_EXCHANGE));
        assertThat(Files.readString(b)).isEqualTo("A");
    }

    /** RENAME_WHITEOUT (root, a file system that has whiteouts) leaves a 0:0 character device at the source. */
    @Test
    void rename2WhiteoutLeavesAWhiteout() throws Exception {
        skip(SysTesting.uid() == 0, "not root: a whiteout needs CAP_MKNOD");
        Path a = file("a", "A");
        Path b = dir.resolve("b");
        try {
            sys.rename2(a, b, RENAME_WHITEOUT);
        } catch (SyscallException e) {
            skip(e.errno() != Errno.EINVAL.code(), "the file system of " + dir + " has no whiteouts");
            throw e;
        }
        assertThat(Files.readString(b)).isEqualTo("A");
        assertThat(output("stat", "-c", "%F %t:%T", a.toString())).isEqualTo("character special file 0:0");
    }

    /** RENAME_NOREPLACE is the kernel's: an existing destination is EEXIST, with no link or placeholder made. */
    @Test
    void rename2NoReplaceIsAtomic() throws Exception {
        Path a = file("a", "A");
        Path b = file("b", "B");
        assertErrno(Errno.EEXIST, () -> sys.rename2(a, b, RENAME_NOREPLACE));
        assertThat(sys.stat(a).nlink()).isEqualTo(1);
        assertThat(Files.readString(b)).isEqualTo("B");
    }

    // ---------------------------------------------------------------- sync

    /** syncfs, sync_file_range (each flag) and sync succeed; unknown sync_file_range flags are EINVAL. */
    @Test
    void syncCallsWork() throws Exception {
        try (FileHandle f = sys.open(file("sync", "x".repeat(10_000)), O_RDWR, 0)) {
            assertThat(sys.syncfs(f)).isZero();
            assertThat(sys.syncFileRange(f, 0, 0, SYNC_FILE_RANGE_WRITE)).isZero();
            assertThat(sys.syncFileRange(f, 0, 4096,
                    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)).isZero();
            assertErrno(Errno.EINVAL, () -> sys.syncFileRange(f, 0, 0, 8));
            assertThat(sys.sync()).isZero();
        }
    }

    // ---------------------------------------------------------------- errnos and status

    /** ELOOP, ENAMETOOLONG (a component over 255 bytes, a path over PATH_MAX), ENOTDIR are the kernel's own. */
    @Test
    void errnosAreTheKernels() throws Exception {
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        assertErrno(Errno.ELOOP, () -> sys.stat(loop));
        assertErrno(Errno.ELOOP, () -> sys.open(loop, O_RDONLY, 0));
        Path target = file("t", "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertErrno(Errno.ELOOP, () -> sys.open(link, O_RDONLY | O_NOFOLLOW, 0));
        assertErrno(Errno.ENAMETOOLONG, () -> sys.stat(dir.resolve("n".repeat(256))));
        assertErrno(Errno.ENAMETOOLONG, () -> sys.stat(dir.resolve(("d".repeat(200) + "/").repeat(25) + "x")));
        assertErrno(Errno.ENOTDIR, () -> sys.stat(target.resolve("below")));
        assertErrno(Errno.ENOTDIR, () -> sys.mkdir(target.resolve("below"), 0700));
    }

    /** rename and link into another file system (/dev/shm) fail with EXDEV. */
    @Test
    void crossDeviceIsExdev() throws Exception {
        Path shm = Path.of("/dev/shm");
        skip(Files.isDirectory(shm) && Files.isWritable(shm), "/dev/shm is not a writable directory here");
        skip(sys.stat(shm).dev() != sys.stat(dir).dev(), "/dev/shm is on the same file system as " + dir);
        Path f = file("f", "x");
        Path there = shm.resolve("aio-native-exdev-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            assertErrno(Errno.EXDEV, () -> sys.rename(f, there));
            assertErrno(Errno.EXDEV, () -> sys.rename2(f, there, RENAME_NOREPLACE));
            assertErrno(Errno.EXDEV, () -> sys.link(f, there));
        } finally {
            Files.deleteIfExists(there);
        }
    }

    /** st_blocks is the kernel's: a sparse file has none, a written one what stat -c %b says. */
    @Test
    void blocksEqualStatCommand() throws Exception {
        Path sparse = dir.resolve("sparse");
        try (FileHandle f = sys.open(sparse, O_CREAT | O_RDWR, 0600)) {
            sys.ftruncate(f, 10 << 20);
        }
        assertThat(sys.stat(sparse).size()).isEqualTo(10 << 20);
        assertThat(sys.stat(sparse).blocks()).isZero().isEqualTo(statBlocks(sparse));
        Path dense = Files.write(dir.resolve("dense"), new byte[5000]);
        assertThat(sys.stat(dense).blocks()).isEqualTo(statBlocks(dense));
        assertThat(sys.stat(dir).blocks()).isEqualTo(statBlocks(dir));
    }

    /** statvfs reports what statvfs(3) does: inodes and the name length as stat -f says. */
    @Test
    void statvfsIsComplete() throws Exception {
        StatVfs v = sys.statvfs(dir);
        String[] f = output("stat", "-f", "-c", "%c %l %S %b", dir.toString()).split(" ");
        assertThat(v.files()).isEqualTo(Long.parseLong(f[0]));
        assertThat(v.namemax()).isEqualTo(Long.parseLong(f[1]));
        assertThat(v.frsize()).isEqualTo(Long.parseLong(f[2]));
        assertThat(v.blocks()).isEqualTo(Long.parseLong(f[3]));
        assertThat(v.ffree()).isBetween(0L, v.files());
        try (FileHandle d = sys.open(dir, O_RDONLY, 0)) {
            assertThat(sys.fstatvfs(d).fsid()).isEqualTo(v.fsid());
        }
    }

    /** fstat of an open file whose name is gone still works: nlink 0, the written size. */
    @Test
    void fstatOfAnUnlinkedFile() throws Exception {
        Path p = file("gone", "abc");
        try (FileHandle f = sys.open(p, O_RDWR, 0)) {
            sys.unlink(p);
            sys.pwrite(f, ByteBuffer.wrap("defg".getBytes(UTF_8)), 3);
            FileStat s = sys.fstat(f);
            assertThat(s.nlink()).isZero();
            assertThat(s.size()).isEqualTo(7);
            assertThat(sys.fchmod(f, 0600)).isZero();
        }
    }

    /** O_PATH gives a handle for f*-calls only (read is EBADF); O_TMPFILE an unnamed file in the directory. */
    @Test
    void openPathAndTmpfile() throws Exception {
        try (FileHandle d = sys.open(dir, O_PATH, 0)) {
            assertThat(sys.fstat(d).isDirectory()).isTrue();
            assertErrno(Errno.EBADF, () -> sys.read(d, ByteBuffer.allocate(1)));
        }
        FileHandle t;
        try {
            t = sys.open(dir, O_TMPFILE | O_RDWR, 0600);
        } catch (SyscallException e) {
            skip(e.errno() != Errno.EOPNOTSUPP.code(), "the file system of " + dir + " has no O_TMPFILE");
            throw e;
        }
        try (FileHandle f = t) {
            sys.write(f, ByteBuffer.wrap("temp".getBytes(UTF_8)));
            ByteBuffer b = ByteBuffer.allocate(4);
            sys.pread(f, b, 0);
            assertThat(new String(b.array(), UTF_8)).isEqualTo("temp");
            assertThat(sys.fstat(f).nlink()).isZero();
            try (Stream<Path> names = Files.list(dir)) {
                assertThat(names).isEmpty();
            }
        }
    }

    // ---------------------------------------------------------------- names the encoding cannot decode

    /** A name with bytes that are not UTF-8 (listed by the JDK with U+FFFD in it) reaches the kernel intact. */
    @Test
    void namesThatAreNotUtf8KeepTheirBytes() throws Exception {
        SysTesting.Result r = SysTesting.run(List.of("sh", "-c",
                "cd \"$1\" && printf 'x' > \"$(printf 'caf\\351')\" && ln -s \"$(printf 'tar\\377get')\" link", "sh", dir.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        Path odd;
        try (Stream<Path> names = Files.list(dir)) {
            odd = names.filter(p -> !p.getFileName().toString().equals("link")).findFirst().orElseThrow();
        }
        assertThat(odd.getFileName().toString()).contains("\uFFFD");
        long ino = Long.parseLong(output("sh", "-c", "stat -c %i \"$1\"/caf*", "sh", dir.toString()));
        assertThat(sys.stat(odd).ino()).isEqualTo(ino);
        Path relative = Path.of("").toAbsolutePath().relativize(odd);
        assertThat(sys.stat(relative).ino()).as("relative path").isEqualTo(ino);
        try (FileHandle f = sys.open(odd, O_RDONLY, 0)) {
            assertThat(sys.fstat(f).size()).isEqualTo(1);
        }
        Path moved = dir.resolve("moved");
        assertThat(sys.rename(odd, moved)).isZero();
        assertThat(sys.stat(moved).ino()).isEqualTo(ino);
        assertThat(sys.rename(moved, odd)).isZero();
        assertThat(sys.unlink(odd)).isZero();
        assertThat(Files.exists(odd, LinkOption.NOFOLLOW_LINKS)).isFalse();
        Path target = sys.readlink(dir.resolve("link"));
        assertThat(target).isEqualTo(Files.readSymbolicLink(dir.resolve("link")));
        Path copy = dir.resolve("copy");
        assertThat(sys.symlink(target, copy)).isZero();
        assertThat(output("sh", "-c", "readlink \"$1\" | od -An -c | tr -d ' \\n'", "sh", copy.toString()))
                .isEqualTo("tar377get\\n");
    }

    // ---------------------------------------------------------------- directories

    /** readdirDents gives getdents64's own d_type and d_ino for every kind of entry, without . and .. */
    @Test
    void readdirDentsHasTheKernelsTypesAndInodes() throws Exception {
        Path f = file("file", "x");
        Path d = Files.createDirectory(dir.resolve("sub"));
        Path l = Files.createSymbolicLink(dir.resolve("link"), d);
        Path fifo = dir.resolve("fifo");
        sys.mknod(fifo, S_IFIFO | 0600, 0);
        List<DirEntry> entries = sys.readdirDents(dir);
        assertThat(entries).extracting(e -> e.name().toString())
                .containsExactlyInAnyOrder("file", "sub", "link", "fifo");
        for (DirEntry e : entries) {
            Path p = dir.resolve(e.name());
            assertThat(e.inode()).as("d_ino of %s", p).isEqualTo(sys.lstat(p).ino());
            int expected = p.equals(f) ? AioConstants.DT_REG : p.equals(d) ? AioConstants.DT_DIR
                    : p.equals(l) ? AioConstants.DT_LNK : AioConstants.DT_FIFO;
            assertThat(e.type()).as("d_type of %s", p).isEqualTo(expected);
        }
        assertThat(sys.readdir(dir)).containsExactlyElementsOf(entries.stream().map(DirEntry::name).toList());
        assertThat(sys.readdir(d)).isEmpty();
        assertErrno(Errno.ENOTDIR, () -> sys.readdir(f));
        assertErrno(Errno.ENOENT, () -> sys.readdirDents(dir.resolve("missing")));
    }

    /** A directory of thousands of entries (several getdents64 calls) lists every name once, with its bytes. */
    @Test
    void readdirOfABigDirectoryWithOddNames() throws Exception {
        Path big = Files.createDirectory(dir.resolve("big"));
        for (int i = 0; i < 3000; i++) {
            Files.createFile(big.resolve("entry-with-a-longish-name-" + i));
        }
        SysTesting.Result r = SysTesting.run(List.of("sh", "-c", "printf 'x' > \"$1/$(printf 'caf\\351')\"", "sh", big.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        List<Path> names = sys.readdir(big);
        assertThat(names).hasSize(3001).doesNotHaveDuplicates();
        try (Stream<Path> listed = Files.list(big)) {
            assertThat(names).containsExactlyInAnyOrderElementsOf(listed.map(Path::getFileName).toList());
        }
        Path odd = names.stream().filter(n -> n.toString().startsWith("caf")).findFirst().orElseThrow();
        assertThat(sys.stat(big.resolve(odd)).size()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- buffers and handles

    /** Direct, heap, read-only and large (beyond the per-thread buffer) buffers all read and write the same bytes. */
    @Test
    void everyKindOfBufferWorks() throws Exception {
        byte[] data = new byte[600_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Path p = dir.resolve("buffers");
        try (FileHandle f = sys.open(p, O_CREAT | O_RDWR, 0600)) {
            assertThat(sys.pwrite(f, ByteBuffer.wrap(data).asReadOnlyBuffer(), 0)).isEqualTo(data.length);
            ByteBuffer direct = ByteBuffer.allocateDirect(1000);
            direct.position(10);
            assertThat(sys.pread(f, direct, 5)).isEqualTo(990);
            assertThat(direct.position()).isEqualTo(1000);
            for (int i = 10; i < 1000; i++) {
                assertThat(direct.get(i)).isEqualTo(data[i - 5]);
            }
            ByteBuffer big = ByteBuffer.allocate(data.length + 7);
            big.position(7);
            assertThat(sys.pread(f, big, 0)).isEqualTo(data.length);
            assertThat(Arrays.copyOfRange(big.array(), 7, big.capacity())).isEqualTo(data);
            ByteBuffer directOut = ByteBuffer.allocateDirect(3).put(new byte[] {1, 2, 3}).flip();
            assertThat(sys.pwrite(f, directOut, 1)).isEqualTo(3);
            assertThat(directOut.hasRemaining()).isFalse();
            ByteBuffer slice = ByteBuffer.wrap(new byte[] {9, 9, 4, 5, 9}, 2, 2).slice();
            assertThat(sys.write(f, slice)).isEqualTo(2);
            assertErrno(Errno.EINVAL, () -> sys.pread(f, ByteBuffer.allocate(4).asReadOnlyBuffer(), 0));
        }
        byte[] back = Files.readAllBytes(p);
        assertThat(Arrays.copyOfRange(back, 0, 6)).containsExactly(4, 5, 2, 3, data[4], data[5]);
    }

    /** sendfile into an O_APPEND file (which sendfile(2) refuses with EINVAL) is emulated and appends. */
    @Test
    void sendfileIntoAnAppendFileIsEmulated() throws Exception {
        Path in = file("in", "0123456789");
        Path out = file("out", "ab");
        try (FileHandle i = sys.open(in, O_RDONLY, 0); FileHandle o = sys.open(out, O_WRONLY | O_APPEND, 0)) {
            assertThat(sys.sendfile(o, i, 4, 3)).isEqualTo(3);
            assertThat(sys.sendfile(o, i, 8, 100)).isEqualTo(2);
        }
        assertThat(Files.readString(out)).isEqualTo("ab45689");
    }

    /** A handle of the portable layer is EBADF here, and one of this layer is EBADF there. */
    @Test
    void handlesOfAnotherLayerAreEbadf() throws Exception {
        Path p = file("f", "x");
        NioSyscalls nio = new NioSyscalls();
        try (FileHandle n = nio.open(p, O_RDONLY, 0); FileHandle l = sys.open(p, O_RDONLY, 0)) {
            assertErrno(Errno.EBADF, () -> sys.fstat(n));
            assertErrno(Errno.EBADF, () -> sys.pread(n, ByteBuffer.allocate(1), 0));
            assertErrno(Errno.EBADF, () -> sys.close(n));
            assertErrno(Errno.EBADF, () -> nio.fstat(l));
            assertErrno(Errno.EBADF, () -> nio.close(l));
            assertThat(n.isOpen()).isTrue();
            assertThat(l.isOpen()).isTrue();
        }
    }

    /**
     * Closing a handle while a call on it is blocked returns at once and makes later calls EBADF; the
     * descriptor stays open until the blocked call returns (so its number cannot be reused under it).
     */
    @Test
    void closeDuringABlockedCallDefersTheDescriptorsClose() throws Exception {
        Path fifo = dir.resolve("fifo");
        sys.mknod(fifo, S_IFIFO | 0600, 0);
        FileHandle reader = sys.open(fifo, O_RDWR, 0); // O_RDWR: open does not wait for a writer
        int fd = awaitOpenDescriptors(fifo, 1).get(0);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                outcome.set(sys.read(reader, ByteBuffer.allocate(16)));
            } catch (SyscallException e) {
                outcome.set(e);
            }
        });
        t.start();
        awaitBlockedInRead(fd);
        assertThat(sys.close(reader)).isZero();
        assertThat(reader.isOpen()).isFalse();
        assertErrno(Errno.EBADF, () -> sys.fstat(reader));
        assertThat(awaitOpenDescriptors(fifo, 1)).as("still open for the blocked read").containsExactly(fd);
        try (FileHandle writer = sys.open(fifo, O_RDWR, 0)) {
            sys.write(writer, ByteBuffer.wrap("hi".getBytes(UTF_8)));
            t.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(outcome.get()).isEqualTo(2);
        }
        awaitOpenDescriptors(fifo, 0);
    }

    /** Waits until some thread of this process is blocked in read(2) on {@code fd} (/proc/self/task/N/syscall). */
    private static void awaitBlockedInRead(int fd) throws Exception {
        String prefix = "0 0x" + Integer.toHexString(fd) + " "; // x86-64: read is syscall 0, fd its first argument
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String[] tasks = new File("/proc/self/task").list();
            for (String task : tasks == null ? new String[0] : tasks) {
                try {
                    if (Files.readString(Path.of("/proc/self/task", task, "syscall")).startsWith(prefix)) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    // thread gone, or not readable
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling an awaited condition
        }
        throw new AssertionError("no thread blocked in read(" + fd + ")");
    }

    /** Waits until exactly {@code n} descriptors of this process point at {@code target}, and returns them. */
    private static List<Integer> awaitOpenDescriptors(Path target, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Integer> open;
        do {
            open = new java.util.ArrayList<>();
            String[] fds = new File("/proc/self/fd").list();
            for (String fd : fds == null ? new String[0] : fds) {
                try {
                    if (Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).equals(target)) {
                        open.add(Integer.parseInt(fd));
                    }
                } catch (java.io.IOException e) {
                    // closed meanwhile
                }
            }
            if (open.size() == n) {
                return open;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling an awaited condition
        } while (System.nanoTime() < deadline);
        assertThat(open).as("descriptors open on %s", target).hasSize(n);
        return open;
    }
}
