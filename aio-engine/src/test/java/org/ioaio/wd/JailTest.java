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

package org.ioaio.wd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.wd.WdTesting.await;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;
import static org.ioaio.wd.WdTesting.snapshot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A jail: everything inside works as through an ordinary working directory; what is documented about its edges holds. */
@ExtendWith(EngineInvariants.class)
class JailTest {

    @TempDir
    Path tmp;

    static List<WdTesting.Kind> kinds() {
        return WdTesting.kinds().toList();
    }

    // Inside a jail every path request works, ".." and relative symlinks included as long as they stay inside,
    // and what mkdir, symlink and link stage in the jail's root is gone afterwards.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void requestsInsideTheJailWork(WdTesting.Kind kind) throws Exception {
        Path jail = Files.createDirectories(tmp.resolve("jail/a"));
        jail = jail.getParent();
        Files.createDirectories(jail.resolve("b"));
        Files.createSymbolicLink(jail.resolve("a/toB"), Path.of("../b"));
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = await(aio, aio.jail(jail))) {
            assertThat(j.isJail()).isTrue();
            assertThat(j.path()).isEqualTo(jail.toRealPath());
            AioEngine in = aio.in(j);
            AioFile f = await(aio, in.open(Path.of("a/toB/f"), O_CREAT | O_WRONLY, 0640));
            await(aio, in.write(f, 0L, ByteBuffer.wrap("jailed".getBytes(StandardCharsets.UTF_8))));
            await(aio, in.close(f));
            assertThat(Files.readString(jail.resolve("b/f"))).isEqualTo("jailed");
            FileStat st = await(aio, in.stat(Path.of("a/../a/toB/./f")));
            assertThat(st.size()).isEqualTo(6);
            assertThat(st.mode() & 0777).isEqualTo(0640);
            assertThat(st.ino()).isEqualTo((Long) Files.getAttribute(jail.resolve("b/f"), "unix:ino"));
            assertThat(new String(await(aio, in.load(Path.of("b/f"))), StandardCharsets.UTF_8)).isEqualTo("jailed");
            assertThat(await(aio, in.realpath(Path.of("a/toB/f")))).isEqualTo(jail.toRealPath().resolve("b/f"));
            assertThat(await(aio, in.realpath(Path.of("a/..")))).isEqualTo(jail.toRealPath());

            await(aio, in.mkdir(Path.of("a/toB/d"), 0750));
            assertThat(Files.isDirectory(jail.resolve("b/d"))).isTrue();
            assertThat((Integer) Files.getAttribute(jail.resolve("b/d"), "unix:mode") & 0777).isEqualTo(0750);
            assertThat(name(errno(aio, in.mkdir(Path.of("b/d"), 0750)))).isEqualTo("EEXIST");
            await(aio, in.symlink(Path.of("../f"), Path.of("b/d/up")));
            assertThat(Files.readSymbolicLink(jail.resolve("b/d/up"))).isEqualTo(Path.of("../f"));
            assertThat(await(aio, in.readlink(Path.of("b/d/up")))).isEqualTo(Path.of("../f"));
            assertThat(await(aio, in.stat(Path.of("b/d/up"))).ino()).isEqualTo(st.ino());
            assertThat(name(errno(aio, in.symlink(Path.of("x"), Path.of("b/d/up"))))).isEqualTo("EEXIST");
            await(aio, in.link(Path.of("b/f"), Path.of("a/hard")));
            assertThat(await(aio, in.stat(Path.of("a/hard"))).nlink()).isEqualTo(2);
            assertThat(name(errno(aio, in.link(Path.of("b/f"), Path.of("a/hard"))))).isEqualTo("EEXIST");
            await(aio, in.mknod(Path.of("a/node"), S_IFREG | 0600, 0));
            assertThat(Files.isRegularFile(jail.resolve("a/node"))).isTrue();

            await(aio, in.chmod(Path.of("a/hard"), 0604));
            assertThat((Integer) Files.getAttribute(jail.resolve("b/f"), "unix:mode") & 07777).isEqualTo(0604);
            if (kind == WdTesting.NIO) {
                // java.nio sets set-id bits only by path, which could be led outside: refused (JailChangeTest)
                assertThat(name(errno(aio, in.chmod(Path.of("a/hard"), 02604)))).isEqualTo("EOPNOTSUPP");
                assertThat((Integer) Files.getAttribute(jail.resolve("b/f"), "unix:mode") & 07777).isEqualTo(0604);
            } else {
                await(aio, in.chmod(Path.of("a/hard"), 02604));
                assertThat((Integer) Files.getAttribute(jail.resolve("b/f"), "unix:mode") & 07777).isEqualTo(02604);
            }
            await(aio, in.chown(Path.of("a/hard"), 4242, 4343));
            assertThat(Files.getAttribute(jail.resolve("b/f"), "unix:uid")).isEqualTo(4242);
            assertThat(Files.getAttribute(jail.resolve("b/f"), "unix:gid")).isEqualTo(4343);
            await(aio, in.utime(Path.of("a/toB/f"), 100.0, 200.25));
            FileStat times = await(aio, in.stat(Path.of("b/f")));
            assertThat(times.mtimeSec()).isEqualTo(200);
            assertThat(times.mtimeNsec()).isEqualTo(250_000_000);
            await(aio, in.truncate(Path.of("a/hard"), 3));
            assertThat(Files.readString(jail.resolve("b/f"))).isEqualTo("jai");
            assertThat(await(aio, in.statvfs(Path.of("a"))).bsize()).isPositive();

            await(aio, in.rename(Path.of("a/hard"), Path.of("b/d/moved")));
            assertThat(name(errno(aio, in.rename2(Path.of("b/d/moved"), Path.of("b/f"), RENAME_NOREPLACE)))).isEqualTo("EEXIST");
            await(aio, in.rename2(Path.of("b/d/moved"), Path.of("b/d/moved2"), RENAME_NOREPLACE));
            await(aio, in.unlink(Path.of("b/d/moved2")));
            await(aio, in.unlink(Path.of("b/d/up")));
            await(aio, in.rmdir(Path.of("b/d")));
            assertThat(WdTesting.names(jail.resolve("b"))).containsExactly("f");
            assertThat(WdTesting.names(jail)).containsExactly("a", "b");
        }
    }

    // Directory and tree requests (readdir, readdirx, scandir, copy, move, rmtree) resolve every path they touch through the
    // jail too: inside they work, a symlink out inside the tree is handled as a link, and a path out fails with EXDEV.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void treeRequestsThroughAJailStayInside(WdTesting.Kind kind) throws Exception {
        Path jail = Files.createDirectories(tmp.resolve("jail/t/sub"));
        jail = jail.getParent().getParent();
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("sentinel"), "secret");
        Files.writeString(jail.resolve("t/f"), "file");
        Files.writeString(jail.resolve("t/sub/g"), "g");
        Files.createSymbolicLink(jail.resolve("t/out"), outside);
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            assertThat(await(aio, in.readdir(Path.of("t"))).stream().map(Path::toString).sorted().toList())
                    .containsExactly("f", "out", "sub");
            assertThat(await(aio, in.readdirx(Path.of("t"), org.ioaio.AioConstants.READDIR_DENTS)).entries()).hasSize(3);
            assertThat(await(aio, in.scandir(Path.of("t"), 4)).dirs()).containsExactly(Path.of("sub"));
            await(aio, in.copy(Path.of("t/f"), Path.of("copied")));
            assertThat(Files.readString(jail.resolve("copied"))).isEqualTo("file");
            await(aio, in.move(Path.of("copied"), Path.of("t/sub/moved")));
            assertThat(name(errno(aio, in.readdir(Path.of("t/out"))))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.scandir(Path.of("t/out"), 4)))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.copy(Path.of("t/out/sentinel"), Path.of("stolen"))))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.copy(Path.of("t/f"), Path.of("../outside/planted"))))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.move(Path.of("t/f"), Path.of("t/out/planted"))))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.rmtree(Path.of("t/out"))))).as("a symlink at the top: not followed").isEqualTo("ENOTDIR");
            assertThat(name(errno(aio, in.rmtree(Path.of("t/out/"))))).isEqualTo("ENOTDIR");
            assertThat(name(errno(aio, in.rmtree(Path.of("t/out/x/.."))))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.rmtree(Path.of(".."))))).isEqualTo("EXDEV");
            await(aio, in.rmtree(Path.of("t")));
            assertThat(WdTesting.names(jail)).isEmpty();
        }
        assertThat(snapshot(tmp, Path.of("jail"))).isEqualTo(before);
        assertThat(Files.readString(outside.resolve("sentinel"))).isEqualTo("secret");
    }

    // The jail's root itself is inside: "." and "a/.." resolve to it ("" is ENOENT, as in C), and it cannot be removed through itself.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void theRootItselfIsInside(WdTesting.Kind kind) throws Exception {
        Path jail = Files.createDirectory(tmp.resolve("jail"));
        long ino = (Long) Files.getAttribute(jail, "unix:ino");
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            assertThat(await(aio, in.stat(Path.of("."))).ino()).isEqualTo(ino);
            assertThat(name(errno(aio, in.lstat(Path.of("a/.."))))).isEqualTo("ENOENT");
            Files.createDirectory(jail.resolve("a"));
            assertThat(await(aio, in.lstat(Path.of("a/.."))).ino()).isEqualTo(ino);
            assertThat(name(errno(aio, in.stat(Path.of(""))))).isEqualTo("ENOENT");
            assertThat(name(errno(aio, in.rmdir(Path.of("."))))).isEqualTo("EINVAL");
            assertThat(name(errno(aio, in.unlink(Path.of("."))))).isEqualTo("EISDIR");
            assertThat(Files.isDirectory(jail)).isTrue();
        }
    }

    // "a hard link is fine": a jail confines names, not inodes; a file hard-linked into it from outside is inside (as with openat2).
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aHardLinkFromOutsideIsInside(WdTesting.Kind kind) throws Exception {
        Path jail = Files.createDirectory(tmp.resolve("jail"));
        Path outside = Files.writeString(tmp.resolve("outside"), "shared");
        Files.createLink(jail.resolve("hl"), outside);
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            assertThat(await(aio, in.stat(Path.of("hl"))).ino()).isEqualTo((Long) Files.getAttribute(outside, "unix:ino"));
            assertThat(new String(await(aio, in.load(Path.of("hl"))), StandardCharsets.UTF_8)).isEqualTo("shared");
        }
    }

    // A symlink to anywhere may be created in a jail (its target is data), but no request through the jail follows it out.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aSymlinkOutCanBeCreatedButNotFollowed(WdTesting.Kind kind) throws Exception {
        Path jail = Files.createDirectory(tmp.resolve("jail"));
        Path outside = Files.writeString(tmp.resolve("outside"), "secret");
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            await(aio, in.symlink(outside, Path.of("out")));
            assertThat(await(aio, in.readlink(Path.of("out")))).isEqualTo(outside);
            assertThat(name(errno(aio, in.stat(Path.of("out"))))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.open(Path.of("out"), O_RDONLY, 0)))).isEqualTo("EXDEV");
            assertThat(name(errno(aio, in.chmod(Path.of("out"), 0777)))).isEqualTo("EXDEV");
            assertThat(await(aio, in.lstat(Path.of("out"))).mode() & 0170000).isEqualTo(0120000);
        }
        assertThat(snapshot(tmp, Path.of("jail"))).isEqualTo(before);
    }

    // A working directory made through a jail is a jail, rooted where it was opened: it cannot climb back to the first one.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aWorkingDirectoryMadeThroughAJailIsAJail(WdTesting.Kind kind) throws Exception {
        Path jail = Files.createDirectories(tmp.resolve("jail/a"));
        jail = jail.getParent();
        Files.writeString(jail.resolve("top"), "top");
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            assertThat(name(errno(aio, aio.in(j).wd(Path.of(".."))))).isEqualTo("EXDEV");
            try (AioWorkingDirectory a = await(aio, aio.in(j).wd(Path.of("a")))) {
                assertThat(a.isJail()).isTrue();
                assertThat(a.path()).isEqualTo(jail.toRealPath().resolve("a"));
                assertThat(name(errno(aio, aio.in(a).stat(Path.of("../top"))))).isEqualTo("EXDEV");
            }
        }
    }

    // A jail is opened by the path the caller gives (symlinks in it followed); a file or a missing path cannot be one.
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aJailOfAFileOrAMissingPathFails(WdTesting.Kind kind) throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertThatThrownBy(() -> AioWorkingDirectory.jail(file))
                .isInstanceOfSatisfying(AioException.class, e -> assertThat(e.error()).isEqualTo(Errno.ENOTDIR));
        try (AioEngine aio = kind.engine()) {
            assertThat(name(errno(aio, aio.jail(tmp.resolve("missing"))))).isEqualTo("ENOENT");
            try (AioWorkingDirectory j = await(aio, aio.jail(link))) {
                assertThat(j.path()).isEqualTo(real.toRealPath());
            }
        }
    }

    // The jail is its directory, not its path: renamed, it keeps receiving the requests (and a new directory at the old path does not).
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aRenamedJailKeepsItsRequests(WdTesting.Kind kind) throws Exception {
        Path jail = Files.createDirectory(tmp.resolve("jail"));
        Files.writeString(jail.resolve("f"), "original");
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            Path moved = Files.move(jail, tmp.resolve("moved"));
            Path decoy = Files.createDirectory(tmp.resolve("jail"));
            await(aio, in.mkdir(Path.of("d"), 0755));
            await(aio, in.symlink(Path.of("../f"), Path.of("d/l")));
            assertThat(new String(await(aio, in.load(Path.of("d/l"))), StandardCharsets.UTF_8)).isEqualTo("original");
            assertThat(await(aio, in.realpath(Path.of("d/l")))).isEqualTo(moved.toRealPath().resolve("f"));
            assertThat(WdTesting.names(moved)).containsExactly("d", "f");
            assertThat(WdTesting.names(decoy)).isEmpty();
            assertThat(Files.exists(decoy.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    // Closing a jail while its requests run: each one answers from inside the jail or fails with EBADF, never from
    // another directory, however the jail is resolved (see WdTesting.closeWhileRequestsRun).
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void closingAJailWhileItsRequestsRunNeverReachesAnotherDirectory(WdTesting.Kind kind) throws Exception {
        try (AioEngine aio = kind.engine()) {
            Map<String, Integer> outcomes = WdTesting.closeWhileRequestsRun(aio, tmp, true);
            assertThat(outcomes.keySet()).as("%s %s", kind, outcomes).isSubsetOf("size 6", "EBADF").contains("size 6", "EBADF");
        }
    }
}
