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

package org.ioaio.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.ioaio.tree.TreeTesting.await;
import static org.ioaio.tree.TreeTesting.failure;
import static org.ioaio.tree.TreeTesting.sha256;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.ForwardingSyscalls;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@code copy} and {@code copyTree} copy content: a reflink, else {@code copy_file_range},
 * else {@code sendfile}, each given up on EXDEV/ENOSYS/EOPNOTSUPP/EINVAL; a sparse file's holes
 * kept. On the native layer (the temporary directory is ext4 here, which has no reflinks), with
 * {@link FaultInjectingSyscalls} to make each method fail.
 */
@ExtendWith(EngineInvariants.class)
class CopyMethodsTest {

    @TempDir
    Path tmp;

    private static final long MIB = 1 << 20;

    private static Syscalls nativeSyscalls() {
        Platform.NativeLayer layer = Platform.nativeLayer();
        assumeTrue(layer.available(), "native layer not available: " + layer.reason());
        return layer.syscalls();
    }

    /** 4 MiB: 64 KiB of data at 0, a hole, 64 KiB at 1 MiB + 5, a hole to the end (no data in the last 2 MiB). */
    private Path sparse(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(pattern(64 * 1024, 'a'), 0);
            ch.write(pattern(64 * 1024, 'k'), MIB + 5);
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(4 * MIB); // ftruncate: the rest is a hole
        }
        return p;
    }

    private static ByteBuffer pattern(int n, char first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i % 13);
        }
        return ByteBuffer.wrap(b);
    }

    private static FileStat stat(AioEngine aio, Path p) {
        return await(aio, aio.stat(p));
    }

    // A sparse file's copy has the same content and size, and no more blocks allocated than the source (its holes stay holes).
    @Test
    void sparseFileKeepsItsHoles() throws IOException {
        Path src = sparse(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        try (AioEngine aio = TestEngines.on(nativeSyscalls(), 2)) {
            FileStat s = stat(aio, src);
            assumeTrue(s.blocks() * 512 < s.size(), "the temporary directory's file system does not make sparse files");
            await(aio, aio.copy(src, dst));
            FileStat d = stat(aio, dst);
            assertThat(d.size()).isEqualTo(4 * MIB);
            assertThat(d.blocks()).as("blocks allocated (source: %d)", s.blocks()).isLessThanOrEqualTo(s.blocks());
            assertThat(d.blocks() * 512).as("far fewer bytes allocated than the size").isLessThan(MIB);
        }
        assertThat(sha256(dst)).isEqualTo(sha256(src));
    }

    /** The small files of the tree copied, in three directories. */
    private static final String[] F = {"f0", "f1", "sub/f2", "sub/f3", "sub/inner/f4"};

    // copyTree keeps holes too, and learns: one reflink attempt for the whole tree, subdirectories included (ext4 has
    // none), copy_file_range for every file.
    @Test
    void treeCopyKeepsHolesAndTriesTheReflinkOnce() throws IOException {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        sparse(tree.resolve("sparse"));
        Files.createDirectories(tree.resolve("sub/inner"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(tree.resolve(F[i]), "file " + i + "\n".repeat(i * 1000));
        }
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        sys.failAlways("reflink", Errno.EOPNOTSUPP); // what ext4 and tmpfs answer, also where the tmp dir has reflinks
        try (AioEngine aio = TestEngines.on(sys.wrap(nativeSyscalls()), 1)) {
            await(aio, aio.copyTree(tree, tmp.resolve("copy")));
            FileStat s = stat(aio, tree.resolve("sparse"));
            FileStat d = stat(aio, tmp.resolve("copy/sparse"));
            assertThat(d.size()).isEqualTo(s.size());
            assertThat(d.blocks()).isLessThanOrEqualTo(s.blocks());
        }
        assertThat(sys.calls("reflink")).as("one worker: learnt after the first file").isEqualTo(1);
        assertThat(sys.calls("copyFileRange")).isGreaterThanOrEqualTo(6);
        assertThat(sys.calls("sendfile")).isZero();
        for (String f : new String[] {"sparse", F[0], F[1], F[2], F[3], F[4]}) {
            assertThat(sha256(tmp.resolve("copy").resolve(f))).as(f).isEqualTo(sha256(tree.resolve(f)));
        }
    }

    // With reflinks refused, a copy uses copy_file_range and no sendfile.
    @Test
    void copyFileRangeAfterTheReflink() throws IOException {
        Path src = sparse(tmp.resolve("src"));
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        sys.failAlways("reflink", Errno.EOPNOTSUPP);
        try (AioEngine aio = TestEngines.on(sys.wrap(nativeSyscalls()), 2)) {
            await(aio, aio.copy(src, tmp.resolve("dst")));
        }
        assertThat(sys.calls("reflink")).isEqualTo(1);
        assertThat(sys.calls("copyFileRange")).isPositive();
        assertThat(sys.calls("sendfile")).isZero();
        assertThat(sha256(tmp.resolve("dst"))).isEqualTo(sha256(src));
    }

    // copy_file_range failing with EXDEV, ENOSYS, EOPNOTSUPP or EINVAL falls back to sendfile (holes still kept); tried once per copy.
    @ParameterizedTest
    @ValueSource(strings = {"EXDEV", "ENOSYS", "EOPNOTSUPP", "EINVAL"})
    void copyFileRangeRefusedFallsBackToSendfile(String errno) throws IOException {
        Path src = sparse(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        sys.failAlways("copyFileRange", Errno.valueOf(errno));
        try (AioEngine aio = TestEngines.on(sys.wrap(nativeSyscalls()), 2)) {
            await(aio, aio.copy(src, dst));
            FileStat s = stat(aio, src);
            FileStat d = stat(aio, dst);
            assertThat(d.size()).isEqualTo(s.size());
            assertThat(d.blocks()).as("holes kept through sendfile").isLessThanOrEqualTo(s.blocks());
        }
        assertThat(sys.calls("copyFileRange")).as("given up after the first refusal").isEqualTo(1);
        assertThat(sys.calls("sendfile")).isPositive();
        assertThat(sha256(dst)).isEqualTo(sha256(src));
    }

    // Any other errno of a method is the copy's failure: no fallback, no destination left, the content step named.
    @ParameterizedTest
    @ValueSource(strings = {"copyFileRange", "reflink", "lseek"})
    void otherErrorsFailTheCopy(String method) throws IOException {
        Path src = sparse(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        sys.failAlways(method, Errno.EIO);
        try (AioEngine aio = TestEngines.on(sys.wrap(nativeSyscalls()), 2)) {
            AioException e = failure(aio, aio.copy(src, dst));
            assertThat(e.error()).isEqualTo(Errno.EIO);
            assertThat(e.operation()).isEqualTo("sendfile");
        }
        assertThat(sys.calls("sendfile")).isZero();
        assertThat(dst).doesNotExist();
    }

    // A file system without SEEK_DATA (lseek EINVAL) has its files copied whole: same content, holes filled.
    @Test
    void withoutSeekDataTheWholeFileIsData() throws IOException {
        Path src = sparse(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        sys.failAlways("lseek", Errno.EINVAL);
        try (AioEngine aio = TestEngines.on(sys.wrap(nativeSyscalls()), 2)) {
            await(aio, aio.copy(src, dst));
            assertThat(stat(aio, dst).size()).isEqualTo(4 * MIB);
        }
        assertThat(sys.calls("lseek")).as("given up after the first").isEqualTo(1);
        assertThat(sha256(dst)).isEqualTo(sha256(src));
    }

    // Where the reflink works, it is the whole copy: neither copy_file_range nor sendfile runs.
    @Test
    void aReflinkIsTheWholeCopy() throws IOException {
        Path src = sparse(tmp.resolve("src"));
        Syscalls base = nativeSyscalls();
        // stands in for a file system with reflinks: the "reflink" copies the file (with holes filled) and succeeds
        Syscalls reflinking = new ForwardingSyscalls() {
            @Override
            protected Syscalls delegate() {
                return base;
            }

            @Override
            public int reflink(FileHandle dst, FileHandle src, long srcOffset, long length, long dstOffset) throws SyscallException {
                long size = base.fstat(src).size();
                for (long done = 0; done < size; ) {
                    done += base.sendfile(dst, src, done, size - done);
                }
                return 0;
            }
        };
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        try (AioEngine aio = TestEngines.on(sys.wrap(reflinking), 2)) {
            await(aio, aio.copy(src, tmp.resolve("dst")));
        }
        assertThat(sys.calls("reflink")).isEqualTo(1);
        assertThat(sys.calls("copyFileRange")).isZero();
        assertThat(sys.calls("sendfile")).isZero();
        assertThat(sys.calls("ftruncate")).isZero();
        assertThat(sha256(tmp.resolve("dst"))).isEqualTo(sha256(src));
    }

    // The portable backend (no copy_file_range: ENOSYS) copies by sendfile (FileChannel.transferTo): same content and size.
    @Test
    void portableBackendCopiesBySendfile() throws IOException {
        Path src = sparse(tmp.resolve("src"));
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        try (AioEngine aio = TestEngines.on(sys.wrap(new org.ioaio.internal.sys.NioSyscalls()), 2)) {
            await(aio, aio.copy(src, tmp.resolve("dst")));
        }
        assertThat(sys.calls("sendfile")).isPositive();
        assertThat(Files.size(tmp.resolve("dst"))).isEqualTo(4 * MIB);
        assertThat(sha256(tmp.resolve("dst"))).isEqualTo(sha256(src));
    }

    // A native copy cancelled after its first content step (copy_file_range of 64 MiB of 70) finishes cancelled and leaves no destination.
    @Test
    void cancelledMidCopyLeavesNoDestination() throws IOException {
        nativeSyscalls();
        Path src = TreeTesting.randomFile(tmp.resolve("big"), 70 * MIB, 70 * MIB);
        Path dst = tmp.resolve("dst");
        try (AioEngine aio = AioEngine.builder().backend(AioBackend.NATIVE).maxParallel(0).build()) {
            var f = aio.copy(src, dst);
            TreeTesting.rounds(aio, round -> round < 3); // open, open, the first 64 MiB
            assertThat(Files.size(dst)).as("partly copied").isEqualTo(64 * MIB);
            f.cancel(false);
            aio.maxParallel(2);
            TreeTesting.cancelled(aio, f);
        }
        assertThat(dst).doesNotExist();
    }

    // IO::AIO's aio_copy (sendfile: holes filled) and aio's copy of the same sparse file have the same content, size and
    // mode; aio's allocates no more blocks.
    @Test
    void sameResultAsIoAioCopy() throws Exception {
        Path src = sparse(tmp.resolve("src"));
        Files.setAttribute(src, "unix:mode", 0640);
        Path theirs = tmp.resolve("theirs");
        Process p = new ProcessBuilder("perl", "-MIO::AIO", "-e",
                "aio_copy $ARGV[0], $ARGV[1], sub { print $_[0] }; IO::AIO::flush;", src.toString(), theirs.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && !out.contains("Can't locate"), "perl with IO::AIO is not installed: " + out);
        assertThat(out).as("aio_copy's status").isEqualTo("0");
        Path ours = tmp.resolve("ours");
        try (AioEngine aio = TestEngines.on(nativeSyscalls(), 2)) {
            await(aio, aio.copy(src, ours));
            FileStat t = stat(aio, theirs);
            FileStat o = stat(aio, ours);
            assertThat(o.size()).isEqualTo(t.size());
            assertThat(o.mode()).isEqualTo(t.mode());
            assertThat(o.mtimeSec()).isEqualTo(t.mtimeSec());
            assertThat(o.blocks()).isLessThanOrEqualTo(t.blocks());
        }
        assertThat(sha256(ours)).isEqualTo(sha256(theirs));
    }

    // copyTree on the native layer: a file its directory listing types as regular is opened without an lstat first (only
    // the symlink is looked at), an empty one gets no content call, and fchown runs only where the source's owner differs
    // from what a new file there gets (the two directories' owners are always set), before the mode; every owner, and
    // the set-user-ID and set-group-ID bits, arrive.
    @Test
    void treeCopyLooksOnlyAtWhatItMustAndChownsOnlyOtherOwners() throws IOException {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        Files.createDirectory(tree.resolve("sub"));
        for (int i = 0; i < 6; i++) {
            Files.writeString(tree.resolve((i % 2 == 0 ? "" : "sub/") + "f" + i), "file " + i);
        }
        Files.createFile(tree.resolve("empty"));
        Files.createSymbolicLink(tree.resolve("link"), Path.of("f0"));
        Files.setAttribute(tree.resolve("sub/f3"), "unix:uid", 1234);
        Files.setAttribute(tree.resolve("sub/f3"), "unix:gid", 4321);
        Files.setAttribute(tree.resolve("sub/f3"), "unix:mode", 06755); // kept too: the owner is set before the mode
        Files.setAttribute(tree.resolve("f4"), "unix:mode", 04751); // set-user-ID kept: no fchown after the fchmod
        int me = (Integer) Files.getAttribute(tree.resolve("f0"), "unix:uid");
        FaultInjectingSyscalls sys = new FaultInjectingSyscalls();
        Path copy = tmp.resolve("copy");
        try (AioEngine aio = TestEngines.on(sys.wrap(nativeSyscalls()), 2)) {
            assumeTrue(nativeSyscalls().readdirTypesFree(), "the native layer reads no entry types here");
            await(aio, aio.copyTree(tree, copy));
        }
        assertThat(sys.calls("lstat")).as("lstat of the symlink only").isEqualTo(1);
        assertThat(sys.calls("fchown")).as("the two directories and sub/f3").isEqualTo(3);
        assertThat(sys.calls("copyFileRange") + sys.calls("sendfile")).as("no content call for the empty file").isEqualTo(6);
        assertThat(Files.getAttribute(copy.resolve("sub/f3"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(copy.resolve("sub/f3"), "unix:gid")).isEqualTo(4321);
        assertThat(Files.getAttribute(copy.resolve("sub/f3"), "unix:mode")).isEqualTo(0100000 | 06755);
        assertThat(Files.getAttribute(copy.resolve("sub/f1"), "unix:uid")).isEqualTo(me);
        assertThat(Files.getAttribute(copy.resolve("f4"), "unix:mode")).isEqualTo(0100000 | 04751);
        assertThat(Files.readSymbolicLink(copy.resolve("link"))).isEqualTo(Path.of("f0"));
        assertThat(Files.size(copy.resolve("empty"))).isZero();
        for (int i = 0; i < 6; i++) {
            String f = (i % 2 == 0 ? "" : "sub/") + "f" + i;
            assertThat(Files.readString(copy.resolve(f))).as(f).isEqualTo("file " + i);
        }
    }

    // Entries the listing typed as regular files but swapped right after it (before any is opened) are copied as what
    // they are when opened: a symlink to an outside file as that link (never followed), a FIFO by mknod, a directory as a
    // subtree.
    @Test
    void treeCopyOfRegularFilesSwappedAfterTheListing() throws IOException {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        Path secret = Files.writeString(tmp.resolve("secret"), "outside");
        for (String f : List.of("to-link", "to-fifo", "to-dir", "stays")) {
            Files.writeString(tree.resolve(f), f);
        }
        java.util.concurrent.atomic.AtomicBoolean swapped = new java.util.concurrent.atomic.AtomicBoolean();
        List<Integer> sourceOpens = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Syscalls base = nativeSyscalls();
        Syscalls swapping = (Syscalls) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Syscalls.class}, (proxy, m, args) -> {
                    Object r;
                    if (m.getName().equals("openAt") && ((Integer) args[2] & (AioConstants.O_ACCMODE | AioConstants.O_DIRECTORY)) == AioConstants.O_RDONLY) {
                        sourceOpens.add((Integer) args[2]);
                    }
                    try {
                        r = m.invoke(base, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (m.getName().equals("readdirAt") && swapped.compareAndSet(false, true)) {
                        Files.delete(tree.resolve("to-link"));
                        Files.createSymbolicLink(tree.resolve("to-link"), secret);
                        Files.delete(tree.resolve("to-fifo"));
                        TreeTesting.mkfifo(tree.resolve("to-fifo"));
                        Files.delete(tree.resolve("to-dir"));
                        Files.createDirectory(tree.resolve("to-dir"));
                        Files.writeString(tree.resolve("to-dir/inner"), "inner");
                    }
                    return r;
                });
        Path copy = tmp.resolve("copy");
        try (AioEngine aio = TestEngines.on(swapping, 2)) {
            assumeTrue(base.readdirTypesFree(), "the native layer reads no entry types here");
            await(aio, aio.copyTree(tree, copy));
        }
        assertThat(swapped).isTrue();
        assertThat(Files.readSymbolicLink(copy.resolve("to-link"))).isEqualTo(secret);
        assertThat((Boolean) Files.getAttribute(copy.resolve("to-fifo"), "isOther", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .as("a FIFO").isTrue();
        assertThat(Files.readString(copy.resolve("to-dir/inner"))).isEqualTo("inner");
        assertThat(Files.readString(copy.resolve("stays"))).isEqualTo("stays");
        assertThat(Files.readString(secret)).isEqualTo("outside");
        assertThat(sourceOpens).as("sources opened unlooked-at: a FIFO without blocking, a terminal never made controlling")
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f & (AioConstants.O_NONBLOCK | AioConstants.O_NOCTTY))
                        .isEqualTo(AioConstants.O_NONBLOCK | AioConstants.O_NOCTTY));
    }
}
