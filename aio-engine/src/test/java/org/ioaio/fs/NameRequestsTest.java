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
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.RENAME_WHITEOUT;
import static org.ioaio.AioConstants.S_IFBLK;
import static org.ioaio.AioConstants.S_IFCHR;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.AioConstants.S_IFSOCK;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.ok;
import static org.ioaio.fs.FsTesting.sh;
import static org.ioaio.fs.FsTesting.succeeds;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** aio_unlink, aio_mknod, aio_link, aio_symlink, aio_readlink, aio_realpath, aio_rename, aio_rename2, aio_mkdir and aio_rmdir. */
@ExtendWith(EngineInvariants.class)
class NameRequestsTest {

    @TempDir
    Path dir;

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    // ---------------------------------------------------------------- unlink

    // aio_unlink: "unlink (delete) a file"; a symlink is removed itself, never its target.
    @Test
    void unlinkRemovesTheNameOnly() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Path target = Files.writeString(dir.resolve("target"), "t");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        try (AioEngine aio = FsTesting.engine()) {
            succeeds(aio, cb -> aio.unlink(f, cb));
            assertThat(exists(f)).isFalse();
            assertThat(await(aio, aio.unlink(link))).isNull();
            assertThat(exists(link)).isFalse();
            assertThat(Files.readString(target)).isEqualTo("t");
        }
    }

    // aio_unlink errors, as unlink(2): ENOENT, ENOTDIR, EISDIR (a directory).
    @Test
    void unlinkErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "unlink", missing, () -> aio.unlink(missing), cb -> aio.unlink(missing, cb));
            assertFails(aio, Errno.ENOTDIR, "unlink", under, () -> aio.unlink(under), cb -> aio.unlink(under, cb));
            assertFails(aio, Errno.EISDIR, "unlink", sub, () -> aio.unlink(sub), cb -> aio.unlink(sub, cb));
            assertThat(Files.isDirectory(sub)).isTrue();
        }
    }

    // ---------------------------------------------------------------- mknod

    // aio_mknod "IO::AIO::S_IFIFO | $mode": the portable layer cannot make a FIFO and says so (ENOSYS), never a silent no-op.
    @Test
    void mknodFifoIsEnosysOnThePortableLayer() throws Exception {
        Path fifo = dir.resolve("fifo");
        try (AioEngine aio = FsTesting.engine()) {
            assertThat(aio.backend()).isEqualTo(AioBackend.NIO);
            assertFails(aio, Errno.ENOSYS, "mknod", fifo, () -> aio.mknod(fifo, S_IFIFO | 0644, 0), cb -> aio.mknod(fifo, S_IFIFO | 0644, 0, cb));
            long dev = AioConstants.makedev(1, 3);
            assertFails(aio, Errno.ENOSYS, "mknod", fifo, () -> aio.mknod(fifo, S_IFCHR | 0600, dev), cb -> aio.mknod(fifo, S_IFCHR | 0600, dev, cb));
            assertFails(aio, Errno.ENOSYS, "mknod", fifo, () -> aio.mknod(fifo, S_IFBLK | 0600, dev), cb -> aio.mknod(fifo, S_IFBLK | 0600, dev, cb));
            assertFails(aio, Errno.ENOSYS, "mknod", fifo, () -> aio.mknod(fifo, S_IFSOCK | 0600, 0), cb -> aio.mknod(fifo, S_IFSOCK | 0600, 0, cb));
            assertThat(exists(fifo)).as("nothing made").isFalse();
        }
    }

    // aio_mknod of a regular file (mknod(2) with S_IFREG) creates it with the mode minus the umask; EEXIST, ENOENT after.
    @Test
    void mknodRegularFileAndErrors() throws Exception {
        int umask = FsTesting.umask();
        Path p = dir.resolve("reg");
        Path noParent = dir.resolve("none").resolve("reg");
        try (AioEngine aio = FsTesting.engine()) {
            succeeds(aio, cb -> aio.mknod(p, S_IFREG | 0664, 0, cb));
            assertThat(sh("stat", "-c", "%F %a", p.toString())).isEqualTo("regular empty file " + Integer.toOctalString(0664 & ~umask));
            assertFails(aio, Errno.EEXIST, "mknod", p, () -> aio.mknod(p, S_IFREG | 0600, 0), cb -> aio.mknod(p, S_IFREG | 0600, 0, cb));
            assertFails(aio, Errno.ENOENT, "mknod", noParent, () -> aio.mknod(noParent, S_IFREG | 0600, 0),
                    cb -> aio.mknod(noParent, S_IFREG | 0600, 0, cb));
        }
    }

    // ---------------------------------------------------------------- link

    // aio_link: "create a new link to the existing object at $srcpath at the path $dstpath": same inode, nlink 2 (stat(1)).
    @Test
    void linkMakesASecondName() throws Exception {
        Path src = Files.writeString(dir.resolve("src"), "x");
        Path dst = dir.resolve("dst");
        try (AioEngine aio = FsTesting.engine()) {
            succeeds(aio, cb -> aio.link(src, dst, cb));
            assertThat(sh("stat", "-c", "%i %h", dst.toString())).isEqualTo(sh("stat", "-c", "%i %h", src.toString()));
            assertThat(sh("stat", "-c", "%h", src.toString())).isEqualTo("2");
            Path third = dir.resolve("third");
            assertThat(await(aio, aio.link(dst, third))).isNull();
            assertThat(await(aio, aio.stat(src)).nlink()).isEqualTo(3);
        }
    }

    // aio_link errors, as link(2): EEXIST, ENOENT, EPERM (a directory), ENOTDIR.
    @Test
    void linkErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path other = Files.writeString(dir.resolve("other"), "y");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path missing = dir.resolve("missing");
        Path newName = dir.resolve("new");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.EEXIST, "link", file, () -> aio.link(file, other), cb -> aio.link(file, other, cb));
            assertFails(aio, Errno.ENOENT, "link", missing, () -> aio.link(missing, newName), cb -> aio.link(missing, newName, cb));
            assertFails(aio, Errno.EPERM, "link", sub, () -> aio.link(sub, newName), cb -> aio.link(sub, newName, cb));
            assertFails(aio, Errno.ENOTDIR, "link", file, () -> aio.link(file, under), cb -> aio.link(file, under, cb));
            assertThat(exists(newName)).isFalse();
            assertThat(Files.readString(other)).isEqualTo("y");
        }
    }

    // aio_link across file systems: EXDEV (/dev/shm is tmpfs); nothing is made.
    @Test
    void linkAcrossFileSystemsIsExdev() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path shm = FsTesting.otherFileSystem(dir);
        try (AioEngine aio = FsTesting.engine()) {
            Path there = shm.resolve("f");
            assertFails(aio, Errno.EXDEV, "link", file, () -> aio.link(file, there), cb -> aio.link(file, there, cb));
            assertThat(exists(there)).isFalse();
        } finally {
            FsTesting.deleteTree(shm);
        }
    }

    // ---------------------------------------------------------------- symlink / readlink

    // aio_symlink makes a symlink whose content is $srcpath verbatim (need not exist); aio_readlink returns it, as readlink(1).
    @Test
    void symlinkAndReadlinkRoundTripVerbatim() throws Exception {
        Path link = dir.resolve("link");
        Path abs = dir.resolve("abs");
        Path relative = Path.of("../somewhere/else");
        try (AioEngine aio = FsTesting.engine()) {
            succeeds(aio, cb -> aio.symlink(relative, link, cb));
            assertThat(sh("readlink", link.toString())).isEqualTo("../somewhere/else");
            assertThat(sh("stat", "-c", "%F", link.toString())).isEqualTo("symbolic link");
            Path got = ok(callback(aio, cb -> aio.readlink(link, cb)));
            assertThat(got).isEqualTo(relative);
            await(aio, aio.symlink(dir.resolve("target"), abs));
            assertThat(await(aio, aio.readlink(abs))).isEqualTo(dir.resolve("target"));
            assertThat(await(aio, aio.readlink(abs)).toString()).isEqualTo(sh("readlink", abs.toString()));
        }
    }

    // aio_symlink errors, as symlink(2): EEXIST, ENOENT (no parent), ENOTDIR.
    @Test
    void symlinkErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path noParent = dir.resolve("none").resolve("link");
        Path under = file.resolve("link");
        Path t = Path.of("t");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.EEXIST, "symlink", file, () -> aio.symlink(t, file), cb -> aio.symlink(t, file, cb));
            assertFails(aio, Errno.ENOENT, "symlink", noParent, () -> aio.symlink(t, noParent), cb -> aio.symlink(t, noParent, cb));
            assertFails(aio, Errno.ENOTDIR, "symlink", under, () -> aio.symlink(t, under), cb -> aio.symlink(t, under, cb));
            assertThat(Files.readString(file)).isEqualTo("x");
        }
    }

    // aio_readlink: "If an error occurs, nothing or undef gets passed": EINVAL for a non-symlink, ENOENT, ENOTDIR.
    @Test
    void readlinkErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path under = file.resolve("x");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.EINVAL, "readlink", file, () -> aio.readlink(file), cb -> aio.readlink(file, cb));
            assertFails(aio, Errno.EINVAL, "readlink", dir, () -> aio.readlink(dir), cb -> aio.readlink(dir, cb));
            assertFails(aio, Errno.ENOENT, "readlink", missing, () -> aio.readlink(missing), cb -> aio.readlink(missing, cb));
            assertFails(aio, Errno.ENOTDIR, "readlink", under, () -> aio.readlink(under), cb -> aio.readlink(under, cb));
        }
    }

    // ---------------------------------------------------------------- realpath

    // aio_realpath: "make the path absolute and resolve any symlinks", as realpath(1); "." is the working directory.
    @Test
    void realpathResolvesLikeRealpathCommand() throws Exception {
        Path real = Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(real.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("l"), Path.of("a/b"));
        Path twisted = dir.resolve("l/../b/./f");
        try (AioEngine aio = FsTesting.engine()) {
            Path got = ok(callback(aio, cb -> aio.realpath(dir.resolve("l/f"), cb)));
            assertThat(got.toString()).isEqualTo(sh("realpath", dir.resolve("l/f").toString()));
            assertThat(got).isEqualTo(real.toRealPath().resolve("f"));
            assertThat(await(aio, aio.realpath(twisted)).toString()).isEqualTo(sh("realpath", twisted.toString()));
            assertThat(await(aio, aio.realpath(Path.of(".")))).isEqualTo(Path.of("").toAbsolutePath().toRealPath());
        }
    }

    // aio_realpath errors, as realpath(3): ENOENT (a dangling symlink too), ENOTDIR, ELOOP.
    @Test
    void realpathErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("missing");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nothing"));
        Path under = file.resolve("x");
        Path loop = dir.resolve("loop1");
        Files.createSymbolicLink(loop, Path.of("loop2"));
        Files.createSymbolicLink(dir.resolve("loop2"), Path.of("loop1"));
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "realpath", missing, () -> aio.realpath(missing), cb -> aio.realpath(missing, cb));
            assertFails(aio, Errno.ENOENT, "realpath", dangling, () -> aio.realpath(dangling), cb -> aio.realpath(dangling, cb));
            assertFails(aio, Errno.ENOTDIR, "realpath", under, () -> aio.realpath(under), cb -> aio.realpath(under, cb));
            assertFails(aio, Errno.ELOOP, "realpath", loop, () -> aio.realpath(loop), cb -> aio.realpath(loop, cb));
        }
    }

    // ---------------------------------------------------------------- rename

    // aio_rename: "rename the object at $srcpath to $dstpath, just as rename(2)": replaces an existing destination.
    @Test
    void renameMovesAndReplaces() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "A");
        Path b = Files.writeString(dir.resolve("b"), "B");
        Path c = dir.resolve("c");
        try (AioEngine aio = FsTesting.engine()) {
            long ino = await(aio, aio.stat(a)).ino();
            succeeds(aio, cb -> aio.rename(a, b, cb));
            assertThat(exists(a)).isFalse();
            assertThat(Files.readString(b)).isEqualTo("A");
            assertThat(sh("stat", "-c", "%i", b.toString())).isEqualTo(String.valueOf(ino));
            assertThat(await(aio, aio.rename(b, c))).isNull();
            assertThat(Files.readString(c)).isEqualTo("A");
            Path d1 = Files.createDirectory(dir.resolve("d1"));
            Path d2 = Files.createDirectory(dir.resolve("d2"));
            await(aio, aio.rename(d1, d2));
            assertThat(exists(d1)).isFalse();
            assertThat(Files.isDirectory(d2)).as("a directory replaces an empty one").isTrue();
        }
    }

    // aio_rename errors, as rename(2): ENOENT, ENOTEMPTY, EISDIR, ENOTDIR, EINVAL (into itself); nothing changes.
    @Test
    void renameErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("inside"), "i");
        Path missing = dir.resolve("missing");
        Path elsewhere = dir.resolve("elsewhere");
        Path into = sub.resolve("child");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOENT, "rename", missing, () -> aio.rename(missing, elsewhere), cb -> aio.rename(missing, elsewhere, cb));
            assertFails(aio, Errno.ENOTEMPTY, "rename", sub, () -> aio.rename(sub, full), cb -> aio.rename(sub, full, cb));
            assertFails(aio, Errno.EISDIR, "rename", file, () -> aio.rename(file, sub), cb -> aio.rename(file, sub, cb));
            assertFails(aio, Errno.ENOTDIR, "rename", sub, () -> aio.rename(sub, file), cb -> aio.rename(sub, file, cb));
            assertFails(aio, Errno.EINVAL, "rename", sub, () -> aio.rename(sub, into), cb -> aio.rename(sub, into, cb));
            assertThat(Files.readString(file)).isEqualTo("x");
            assertThat(Files.readString(full.resolve("inside"))).isEqualTo("i");
            assertThat(Files.isDirectory(sub)).isTrue();
            assertThat(exists(elsewhere)).isFalse();
        }
    }

    // aio_rename across file systems: EXDEV (rename(2) does not copy); the source stays.
    @Test
    void renameAcrossFileSystemsIsExdev() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path shm = FsTesting.otherFileSystem(dir);
        try (AioEngine aio = FsTesting.engine()) {
            Path there = shm.resolve("f");
            assertFails(aio, Errno.EXDEV, "rename", file, () -> aio.rename(file, there), cb -> aio.rename(file, there, cb));
            assertFails(aio, Errno.EXDEV, "rename", sub, () -> aio.rename(sub, there), cb -> aio.rename(sub, there, cb));
            assertFails(aio, Errno.EXDEV, "rename2", file, () -> aio.rename2(file, there, RENAME_NOREPLACE),
                    cb -> aio.rename2(file, there, RENAME_NOREPLACE, cb));
            assertThat(exists(there)).isFalse();
            assertThat(Files.readString(file)).isEqualTo("x");
            assertThat(Files.isDirectory(sub)).isTrue();
        } finally {
            FsTesting.deleteTree(shm);
        }
    }

    // ---------------------------------------------------------------- rename2

    // aio_rename2: "Calling this with $flags=0 is the same as calling aio_rename"; RENAME_NOREPLACE to a free name renames.
    @Test
    void rename2ZeroAndNoreplaceToAFreeName() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "A");
        Path b = Files.writeString(dir.resolve("b"), "B");
        Path c = dir.resolve("c");
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("in"), "i");
        Path e = dir.resolve("e");
        try (AioEngine aio = FsTesting.engine()) {
            succeeds(aio, cb -> aio.rename2(a, b, 0, cb));
            assertThat(Files.readString(b)).as("flags 0 replaces, as rename").isEqualTo("A");
            long ino = await(aio, aio.stat(b)).ino();
            assertThat(await(aio, aio.rename2(b, c, RENAME_NOREPLACE))).isNull();
            assertThat(exists(b)).isFalse();
            assertThat(await(aio, aio.stat(c)).ino()).isEqualTo(ino);
            assertThat(await(aio, aio.stat(c)).nlink()).as("no name left behind").isEqualTo(1);
            succeeds(aio, cb -> aio.rename2(d, e, RENAME_NOREPLACE, cb));
            assertThat(Files.readString(e.resolve("in"))).isEqualTo("i");
            assertThat(exists(d)).isFalse();
        }
    }

    // aio_rename2 RENAME_NOREPLACE refuses an existing destination with EEXIST (renameat2(2)); both stay as they were.
    @Test
    void rename2NoreplaceRefusesAnExistingDestination() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "A");
        Path b = Files.writeString(dir.resolve("b"), "B");
        Path d1 = Files.createDirectory(dir.resolve("d1"));
        Path d2 = Files.createDirectory(dir.resolve("d2"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nothing"));
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.EEXIST, "rename2", a, () -> aio.rename2(a, b, RENAME_NOREPLACE), cb -> aio.rename2(a, b, RENAME_NOREPLACE, cb));
            assertFails(aio, Errno.EEXIST, "rename2", d1, () -> aio.rename2(d1, d2, RENAME_NOREPLACE), cb -> aio.rename2(d1, d2, RENAME_NOREPLACE, cb));
            assertFails(aio, Errno.EEXIST, "rename2", a, () -> aio.rename2(a, dangling, RENAME_NOREPLACE),
                    cb -> aio.rename2(a, dangling, RENAME_NOREPLACE, cb));
            assertThat(Files.readString(a)).isEqualTo("A");
            assertThat(Files.readString(b)).isEqualTo("B");
            assertThat(await(aio, aio.stat(a)).nlink()).isEqualTo(1);
            assertThat(Files.isDirectory(d1)).isTrue();
            assertThat(Files.isSymbolicLink(dangling)).isTrue();
        }
    }

    // aio_rename2 with RENAME_EXCHANGE or RENAME_WHITEOUT: ENOSYS on the portable layer (the manual: "Other systems fail
    // with ENOSYS"); bad flag combinations EINVAL, as renameat2(2); nothing changes.
    @Test
    void rename2ExchangeIsEnosysOnThePortableLayer() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "A");
        Path b = Files.writeString(dir.resolve("b"), "B");
        Path missing = dir.resolve("missing");
        try (AioEngine aio = FsTesting.engine()) {
            assertThat(aio.backend()).isEqualTo(AioBackend.NIO);
            assertFails(aio, Errno.ENOSYS, "rename2", a, () -> aio.rename2(a, b, RENAME_EXCHANGE), cb -> aio.rename2(a, b, RENAME_EXCHANGE, cb));
            assertFails(aio, Errno.ENOSYS, "rename2", a, () -> aio.rename2(a, missing, RENAME_WHITEOUT),
                    cb -> aio.rename2(a, missing, RENAME_WHITEOUT, cb));
            int both = RENAME_EXCHANGE | RENAME_NOREPLACE;
            assertFails(aio, Errno.EINVAL, "rename2", a, () -> aio.rename2(a, b, both), cb -> aio.rename2(a, b, both, cb));
            assertFails(aio, Errno.EINVAL, "rename2", a, () -> aio.rename2(a, b, 0x100), cb -> aio.rename2(a, b, 0x100, cb));
            assertThat(Files.readString(a)).isEqualTo("A");
            assertThat(Files.readString(b)).isEqualTo("B");
            assertThat(exists(missing)).isFalse();
        }
    }

    // ---------------------------------------------------------------- mkdir / rmdir

    // aio_mkdir: "$mode will be modified by the umask"; stat(1) and ls(1) see the directory.
    @Test
    void mkdirCreatesWithModeMinusUmask() throws Exception {
        int umask = FsTesting.umask();
        Path d = dir.resolve("d");
        Path e = dir.resolve("e");
        try (AioEngine aio = FsTesting.engine()) {
            succeeds(aio, cb -> aio.mkdir(d, 0777, cb));
            assertThat(sh("stat", "-c", "%F %a", d.toString())).isEqualTo("directory " + Integer.toOctalString(0777 & ~umask));
            assertThat(await(aio, aio.mkdir(e, 0700))).isNull();
            assertThat(sh("ls", "-ld", e.toString())).startsWith("drwx------");
            FileStat s = await(aio, aio.stat(e));
            assertThat(s.isDirectory()).isTrue();
            assertThat(s.nlink()).isEqualTo(2);
        }
    }

    // aio_mkdir errors, as mkdir(2): EEXIST, ENOENT (no parent), ENOTDIR.
    @Test
    void mkdirErrorsInBothForms() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path noParent = dir.resolve("none").resolve("d");
        Path under = file.resolve("d");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.EEXIST, "mkdir", file, () -> aio.mkdir(file, 0755), cb -> aio.mkdir(file, 0755, cb));
            assertFails(aio, Errno.EEXIST, "mkdir", dir, () -> aio.mkdir(dir, 0755), cb -> aio.mkdir(dir, 0755, cb));
            assertFails(aio, Errno.ENOENT, "mkdir", noParent, () -> aio.mkdir(noParent, 0755), cb -> aio.mkdir(noParent, 0755, cb));
            assertFails(aio, Errno.ENOTDIR, "mkdir", under, () -> aio.mkdir(under, 0755), cb -> aio.mkdir(under, 0755, cb));
        }
    }

    // aio_rmdir: "rmdir (delete) a directory".
    @Test
    void rmdirRemovesAnEmptyDirectory() throws Exception {
        Path d = Files.createDirectory(dir.resolve("d"));
        Path e = Files.createDirectory(dir.resolve("e"));
        try (AioEngine aio = FsTesting.engine()) {
            succeeds(aio, cb -> aio.rmdir(d, cb));
            assertThat(exists(d)).isFalse();
            assertThat(await(aio, aio.rmdir(e))).isNull();
            assertThat(exists(e)).isFalse();
        }
    }

    // aio_rmdir errors, as rmdir(2): ENOTEMPTY, ENOTDIR (a file, a symlink to a directory), ENOENT; nothing is removed.
    @Test
    void rmdirErrorsInBothForms() throws Exception {
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("inside"), "i");
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("empty"));
        Files.createDirectory(dir.resolve("empty"));
        Path missing = dir.resolve("missing");
        try (AioEngine aio = FsTesting.engine()) {
            assertFails(aio, Errno.ENOTEMPTY, "rmdir", full, () -> aio.rmdir(full), cb -> aio.rmdir(full, cb));
            assertFails(aio, Errno.ENOTDIR, "rmdir", file, () -> aio.rmdir(file), cb -> aio.rmdir(file, cb));
            assertFails(aio, Errno.ENOTDIR, "rmdir", link, () -> aio.rmdir(link), cb -> aio.rmdir(link, cb));
            assertFails(aio, Errno.ENOENT, "rmdir", missing, () -> aio.rmdir(missing), cb -> aio.rmdir(missing, cb));
            assertThat(Files.readString(full.resolve("inside"))).isEqualTo("i");
            assertThat(Files.isDirectory(dir.resolve("empty"))).isTrue();
            assertThat(Files.isSymbolicLink(link)).isTrue();
        }
    }
}
