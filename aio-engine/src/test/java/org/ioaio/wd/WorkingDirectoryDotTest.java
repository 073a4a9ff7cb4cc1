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
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.wd.WdTesting.await;
import static org.ioaio.wd.WdTesting.engine;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioResult;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IO::AIO's special case of {@code [$wd, "."]}: "instead of failing, rmdir/rename is called on the
 * absolute path of $wd" (the kernel refuses {@code "."} as a last component); a jail keeps the
 * kernel's answer, as its directory's name lies outside it.
 */
@ExtendWith(EngineInvariants.class)
class WorkingDirectoryDotTest {

    @TempDir
    Path tmp;

    static List<AioBackend> backends() {
        return WdTesting.backends().toList();
    }

    static List<WdTesting.Kind> kinds() {
        return WdTesting.kinds().toList();
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    // aio_rmdir [$wd, "."]: "instead of failing, rmdir is called on the absolute path of $wd", in both request forms.
    @ParameterizedTest
    @MethodSource("backends")
    void rmdirOfDotRemovesTheWorkingDirectoryItself(AioBackend backend) throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wa = AioWorkingDirectory.open(a);
                AioWorkingDirectory wb = AioWorkingDirectory.open(b)) {
            assertThat(name(errno(aio, aio.in(wa).rmdir(Path.of("."))))).isEqualTo(name(0));
            assertThat(exists(a)).as("a removed").isFalse();
            List<Integer> seen = new ArrayList<>();
            aio.in(wb).rmdir(Path.of("."), (AioResult<Void> r) -> seen.add(r.errno()));
            aio.flush();
            assertThat(seen).containsExactly(0);
            assertThat(exists(b)).as("b removed").isFalse();
            assertThat(WdTesting.names(tmp)).isEmpty();
        }
    }

    // rmdir(2) of the working directory's path: a non-empty one fails with ENOTEMPTY, and one already removed with ENOENT.
    @ParameterizedTest
    @MethodSource("backends")
    void rmdirOfDotFailsAsRmdirOfItsPath(AioBackend backend) throws Exception {
        Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("f"), "x");
        Path gone = Files.createDirectory(tmp.resolve("gone"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wf = AioWorkingDirectory.open(full);
                AioWorkingDirectory wg = AioWorkingDirectory.open(gone)) {
            assertThat(name(errno(aio, aio.in(wf).rmdir(Path.of("."))))).isEqualTo("ENOTEMPTY");
            assertThat(exists(full.resolve("f"))).isTrue();
            Files.delete(gone);
            assertThat(name(errno(aio, aio.in(wg).rmdir(Path.of("."))))).isEqualTo("ENOENT");
        }
    }

    // The path used is the working directory's path now: one renamed since it was opened is still the one removed.
    @ParameterizedTest
    @MethodSource("backends")
    void rmdirOfDotFollowsARenamedWorkingDirectory(AioBackend backend) throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(w)) {
            Files.move(w, tmp.resolve("moved"));
            Path decoy = Files.createDirectory(tmp.resolve("w"));
            assertThat(name(errno(aio, aio.in(wd).rmdir(Path.of("."))))).isEqualTo(name(0));
            assertThat(WdTesting.names(tmp)).containsExactly("w");
            assertThat(Files.isDirectory(decoy)).isTrue();
        }
    }

    // aio_rename [$wd, "."], $dst: "instead of failing, rename is called on the absolute path of $wd"; a relative
    // destination is relative to the working directory, and the working directory keeps working where it went.
    @ParameterizedTest
    @MethodSource("backends")
    void renameFromDotRenamesTheWorkingDirectoryItself(AioBackend backend) throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Files.writeString(a.resolve("f"), "in a");
        Path b = Files.createDirectory(tmp.resolve("b"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wa = AioWorkingDirectory.open(a);
                AioWorkingDirectory wb = AioWorkingDirectory.open(b)) {
            assertThat(name(errno(aio, aio.in(wa).rename(Path.of("."), tmp.resolve("a2"))))).isEqualTo(name(0));
            List<Integer> seen = new ArrayList<>();
            aio.in(wb).rename(Path.of("."), Path.of("../b2"), (AioResult<Void> r) -> seen.add(r.errno()));
            aio.flush();
            assertThat(seen).containsExactly(0);
            assertThat(WdTesting.names(tmp)).containsExactly("a2", "b2");
            assertThat(await(aio, aio.in(wa).stat(Path.of("f"))).size()).isEqualTo(4);
            assertThat(await(aio, aio.in(wa).realpath(Path.of(".")))).isEqualTo(tmp.toRealPath().resolve("a2"));
        }
    }

    // aio_rename2 goes through the same call: [$wd, "."] as the source with RENAME_NOREPLACE renames the directory
    // unless the destination exists (EEXIST, nothing changed).
    @ParameterizedTest
    @MethodSource("backends")
    void rename2FromDotRenamesTheWorkingDirectoryItself(AioBackend backend) throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        Files.createDirectory(tmp.resolve("taken"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(w)) {
            AioEngine in = aio.in(wd);
            assertThat(name(errno(aio, in.rename2(Path.of("."), tmp.resolve("taken"), RENAME_NOREPLACE)))).isEqualTo("EEXIST");
            assertThat(WdTesting.names(tmp)).containsExactly("taken", "w");
            assertThat(name(errno(aio, in.rename2(Path.of("."), tmp.resolve("free"), RENAME_NOREPLACE)))).isEqualTo(name(0));
            assertThat(WdTesting.names(tmp)).containsExactly("free", "taken");
            assertThat(name(errno(aio, in.rename2(Path.of("."), tmp.resolve("again"), 0)))).isEqualTo(name(0));
            assertThat(WdTesting.names(tmp)).containsExactly("again", "taken");
        }
    }

    // Only the source is special: "." as a destination and ".." stay the kernel's (EBUSY, ENOTEMPTY), as in IO::AIO.
    @ParameterizedTest
    @MethodSource("backends")
    void dotAsADestinationAndDotDotAreTheKernels(AioBackend backend) throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        Path other = Files.createDirectory(tmp.resolve("other"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(w)) {
            AioEngine in = aio.in(wd);
            assertThat(name(errno(aio, in.rename(other, Path.of("."))))).isEqualTo("EBUSY");
            assertThat(name(errno(aio, in.rename(Path.of(".."), tmp.resolve("x"))))).isEqualTo("EBUSY");
            assertThat(name(errno(aio, in.rmdir(Path.of(".."))))).isEqualTo("ENOTEMPTY");
            assertThat(WdTesting.names(tmp)).containsExactly("other", "w");
        }
    }

    // A jail's directory is named in its parent, outside the jail: rmdir and rename of "." get the kernel's answer
    // (EINVAL, EBUSY), and the jail stays, on every kind of jail.
    @ParameterizedTest
    @MethodSource("kinds")
    void aJailKeepsTheKernelsAnswerForDot(WdTesting.Kind kind) throws Exception {
        Path j = Files.createDirectory(tmp.resolve("j"));
        try (AioEngine aio = kind.engine(); AioWorkingDirectory jail = AioWorkingDirectory.jail(j)) {
            AioEngine in = aio.in(jail);
            assertThat(name(errno(aio, in.rmdir(Path.of("."))))).isEqualTo("EINVAL");
            assertThat(name(errno(aio, in.rename(Path.of("."), Path.of("x"))))).isEqualTo("EBUSY");
            assertThat(name(errno(aio, in.rename2(Path.of("."), Path.of("x"), RENAME_NOREPLACE)))).isEqualTo("EBUSY");
            assertThat(WdTesting.names(tmp)).containsExactly("j");
            assertThat(WdTesting.names(j)).isEmpty();
        }
    }
}
