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
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.RENAME_WHITEOUT;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.internal.sys.SysTesting.assertErrno;
import static org.ioaio.internal.sys.SysTesting.output;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Name calls on each syscall layer: unlink, mknod, link, symlink, readlink, realpath, rename,
 * rename2, mkdir, rmdir. What only one layer does is in {@link NioLimitsTest} and
 * {@link NativeSyscallsTest}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.ioaio.internal.sys.Layer#all")
@ExtendWith(EngineInvariants.class)
class NamesTest {

    @TempDir
    Path dir;

    @Parameter
    Layer layer;

    private Syscalls sys;

    @BeforeEach
    void layer() {
        sys = layer.require();
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    /** unlink removes a file; a symlink is removed itself, not its target; missing is ENOENT; a directory EISDIR. */
    @Test
    void unlinkRemovesNamesButNotDirectories() throws Exception {
        Path f = file("f", "x");
        Path target = file("target", "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThat(sys.unlink(f)).isZero();
        assertThat(Files.exists(f)).isFalse();
        assertThat(sys.unlink(link)).isZero();
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(target)).isTrue();
        assertErrno(Errno.ENOENT, () -> sys.unlink(f));
        assertErrno(Errno.EISDIR, () -> sys.unlink(sub));
        assertThat(Files.isDirectory(sub)).isTrue();
        assertErrno(Errno.ENOTDIR, () -> sys.unlink(target.resolve("below")));
        assertErrno(Errno.ENOENT, () -> sys.unlink(dir.resolve("no/such")));
    }

    /** rmdir removes an empty directory; not empty is ENOTEMPTY, a file ENOTDIR, a symlink to a directory ENOTDIR. */
    @Test
    void rmdirRemovesOnlyEmptyDirectories() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("inside"), "x");
        Path f = file("f", "x");
        Path linkToDir = Files.createSymbolicLink(dir.resolve("linkToDir"), full);
        assertThat(sys.rmdir(empty)).isZero();
        assertThat(Files.exists(empty)).isFalse();
        assertErrno(Errno.ENOTEMPTY, () -> sys.rmdir(full));
        assertErrno(Errno.ENOTDIR, () -> sys.rmdir(f));
        assertThat(Files.exists(f)).isTrue();
        assertErrno(Errno.ENOTDIR, () -> sys.rmdir(linkToDir));
        assertErrno(Errno.ENOENT, () -> sys.rmdir(empty));
        assertErrno(Errno.EBUSY, () -> sys.rmdir(Path.of("/")));
    }

    /** mkdir creates a directory with the mode minus umask (sticky bit kept); existing is EEXIST, missing parent ENOENT, file parent ENOTDIR. */
    @Test
    void mkdirCreatesDirectories() throws Exception {
        Path d = dir.resolve("d");
        assertThat(sys.mkdir(d, 0750)).isZero();
        assertThat(sys.stat(d).isDirectory()).isTrue();
        assertThat(sys.stat(d).permissions() & ~0750).isZero();
        Path sticky = dir.resolve("sticky");
        sys.mkdir(sticky, 01777);
        assertThat(sys.stat(sticky).permissions() & 01000).isEqualTo(01000);
        assertErrno(Errno.EEXIST, () -> sys.mkdir(d, 0755));
        assertErrno(Errno.ENOENT, () -> sys.mkdir(dir.resolve("no/parent"), 0755));
        Path f = file("f", "x");
        assertErrno(Errno.ENOTDIR, () -> sys.mkdir(f.resolve("sub"), 0755));
        assertErrno(Errno.ENAMETOOLONG, () -> sys.mkdir(dir.resolve("n".repeat(300)), 0755));
    }

    /** mknod makes regular files (type S_IFREG or 0) with the mode minus umask; an existing name is EEXIST. */
    @Test
    void mknodMakesRegularFiles() throws Exception {
        Path r = dir.resolve("regular");
        assertThat(sys.mknod(r, S_IFREG | 0640, 0)).isZero();
        assertThat(sys.stat(r).isRegularFile()).isTrue();
        assertThat(sys.stat(r).permissions() & ~0640).isZero();
        assertThat(sys.mknod(dir.resolve("typeless"), 0600, 0)).isZero();
        assertErrno(Errno.EEXIST, () -> sys.mknod(r, S_IFREG | 0640, 0));
        assertErrno(Errno.ENOENT, () -> sys.mknod(dir.resolve("no/parent"), S_IFREG | 0640, 0));
    }

    /** link adds a name (nlink 2); an existing new name is EEXIST, a missing source ENOENT, a directory EPERM. */
    @Test
    void linkAddsAHardLink() throws Exception {
        Path f = file("f", "x");
        Path g = dir.resolve("g");
        assertThat(sys.link(f, g)).isZero();
        assertThat(sys.stat(f).nlink()).isEqualTo(2);
        assertThat(sys.stat(g).ino()).isEqualTo(sys.stat(f).ino());
        assertErrno(Errno.EEXIST, () -> sys.link(f, g));
        assertErrno(Errno.ENOENT, () -> sys.link(dir.resolve("missing"), dir.resolve("h")));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertErrno(Errno.EPERM, () -> sys.link(sub, dir.resolve("subLink")));
    }

    /** symlink stores the target verbatim; readlink returns it exactly as readlink(1) does. */
    @Test
    void symlinkAndReadlinkRoundTripAsReadlinkCommand() throws Exception {
        Path link = dir.resolve("rel");
        Path target = Path.of("../some/where/../else");
        assertThat(sys.symlink(target, link)).isZero();
        assertThat(sys.lstat(link).isSymbolicLink()).isTrue();
        assertThat(sys.readlink(link)).isEqualTo(target);
        assertThat(sys.readlink(link).toString()).isEqualTo(output("readlink", link.toString()));
        Path abs = dir.resolve("abs");
        sys.symlink(dir.resolve("file"), abs);
        assertThat(sys.readlink(abs).toString()).isEqualTo(output("readlink", abs.toString()));
        String unicode = "t\u00e9st-\u65e5\u672c";
        Path u = dir.resolve("u");
        sys.symlink(Path.of(unicode), u);
        assertThat(output("readlink", u.toString())).isEqualTo(new String(unicode.getBytes(UTF_8), UTF_8));
        assertThat(sys.readlink(u).toString()).isEqualTo(unicode);
    }

    /** symlink onto an existing name is EEXIST; readlink of a non-link is EINVAL, of a missing name ENOENT. */
    @Test
    void symlinkAndReadlinkErrors() throws Exception {
        Path f = file("f", "x");
        assertErrno(Errno.EEXIST, () -> sys.symlink(Path.of("anything"), f));
        assertErrno(Errno.EINVAL, () -> sys.readlink(f));
        assertErrno(Errno.ENOENT, () -> sys.readlink(dir.resolve("missing")));
        assertErrno(Errno.ENOENT, () -> sys.symlink(Path.of("x"), dir.resolve("no/parent/link")));
    }

    /** realpath resolves symlinks, "." and ".." to an absolute path; a missing component is ENOENT. */
    @Test
    void realpathResolvesEverything() throws Exception {
        Path real = Files.createDirectories(dir.resolve("a/b"));
        Path link = Files.createSymbolicLink(dir.resolve("l"), Path.of("a/b"));
        Path resolved = sys.realpath(link.resolve("../b/./"));
        assertThat(resolved).isEqualTo(real.toRealPath());
        assertThat(resolved.toString()).isEqualTo(output("realpath", link.resolve("../b/.").toString()));
        assertThat(sys.realpath(Path.of("."))).isEqualTo(Path.of("").toAbsolutePath().toRealPath());
        assertErrno(Errno.ENOENT, () -> sys.realpath(dir.resolve("missing/x")));
    }

    /** rename moves atomically and replaces an existing destination; missing is ENOENT. */
    @Test
    void renameReplacesTheDestination() throws Exception {
        Path a = file("a", "A");
        Path b = file("b", "B");
        assertThat(sys.rename(a, b)).isZero();
        assertThat(Files.exists(a)).isFalse();
        assertThat(Files.readString(b)).isEqualTo("A");
        assertErrno(Errno.ENOENT, () -> sys.rename(a, b));
    }

    /** rename errors: a directory over a non-empty one ENOTEMPTY, a directory over a file ENOTDIR, a file over a directory EISDIR, into itself EINVAL. */
    @Test
    void renameErrorsAreTheSyscallsErrnos() throws Exception {
        Path d1 = Files.createDirectory(dir.resolve("d1"));
        Path d2 = Files.createDirectory(dir.resolve("d2"));
        Files.writeString(d2.resolve("inside"), "x");
        Path f = file("f", "x");
        assertErrno(Errno.ENOTEMPTY, () -> sys.rename(d1, d2));
        assertErrno(Errno.ENOTDIR, () -> sys.rename(d1, f));
        assertErrno(Errno.EISDIR, () -> sys.rename(f, d1));
        assertErrno(Errno.EINVAL, () -> sys.rename(d1, d1.resolve("sub")));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(sys.rename(d1, empty)).as("a directory replaces an empty one").isZero();
    }

    /** rename2 with flags 0 is rename. */
    @Test
    void rename2WithoutFlagsIsRename() throws Exception {
        Path a = file("a", "A");
        Path b = file("b", "B");
        assertThat(sys.rename2(a, b, 0)).isZero();
        assertThat(Files.readString(b)).isEqualTo("A");
    }

    /** RENAME_NOREPLACE renames when the destination is free and fails with EEXIST, leaving both, when not. */
    @Test
    void rename2NoReplaceNeverReplaces() throws Exception {
        Path a = file("a", "A");
        Path b = dir.resolve("b");
        assertThat(sys.rename2(a, b, RENAME_NOREPLACE)).isZero();
        assertThat(Files.exists(a)).isFalse();
        assertThat(Files.readString(b)).isEqualTo("A");
        assertThat(sys.stat(b).nlink()).isEqualTo(1);
        Path c = file("c", "C");
        assertErrno(Errno.EEXIST, () -> sys.rename2(c, b, RENAME_NOREPLACE));
        assertThat(Files.readString(b)).isEqualTo("A");
        assertThat(Files.readString(c)).isEqualTo("C");
        assertErrno(Errno.ENOENT, () -> sys.rename2(dir.resolve("missing"), dir.resolve("x"), RENAME_NOREPLACE));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertErrno(Errno.EEXIST, () -> sys.rename2(c, dangling, RENAME_NOREPLACE));
        assertThat(sys.rename2(dangling, dir.resolve("moved-link"), RENAME_NOREPLACE)).isZero();
        assertThat(sys.lstat(dir.resolve("moved-link")).isSymbolicLink()).isTrue();
    }

    /** RENAME_NOREPLACE moves directories too, and fails with EEXIST (even onto an empty directory). */
    @Test
    void rename2NoReplaceMovesDirectories() throws Exception {
        Path d = Files.createDirectory(dir.resolve("d"));
        Files.writeString(d.resolve("inside"), "x");
        Path moved = dir.resolve("moved");
        assertThat(sys.rename2(d, moved, RENAME_NOREPLACE)).isZero();
        assertThat(Files.readString(moved.resolve("inside"))).isEqualTo("x");
        assertThat(Files.exists(d)).isFalse();
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertErrno(Errno.EEXIST, () -> sys.rename2(moved, empty, RENAME_NOREPLACE));
        assertErrno(Errno.EINVAL, () -> sys.rename2(moved, moved.resolve("sub"), RENAME_NOREPLACE));
        assertThat(Files.exists(moved.resolve("sub"))).as("no placeholder left behind").isFalse();
    }

    /** rename2: invalid flag combinations and unknown bits are EINVAL, and nothing changes. */
    @Test
    void rename2InvalidFlags() throws Exception {
        Path a = file("a", "A");
        Path b = file("b", "B");
        assertErrno(Errno.EINVAL, () -> sys.rename2(a, b, RENAME_NOREPLACE | RENAME_EXCHANGE));
        assertErrno(Errno.EINVAL, () -> sys.rename2(a, b, RENAME_WHITEOUT | RENAME_EXCHANGE));
        assertErrno(Errno.EINVAL, () -> sys.rename2(a, b, 64));
        assertThat(Files.readString(a)).isEqualTo("A");
        assertThat(Files.readString(b)).isEqualTo("B");
    }
}
