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
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;
import static org.ioaio.wd.WdTesting.snapshot;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jail against traversal: every attempt below, through every path request, fails with the
 * documented errno (EXDEV for an escape, as openat2's RESOLVE_BENEATH; ELOOP past 40 symlinks;
 * ENOENT/ENOTDIR where the path is simply wrong) and changes nothing outside the jail.
 *
 * <p>Layout: {@code tmp/jail} is the jail; {@code tmp/outside} holds {@code sentinel} (a file),
 * {@code emptydir}, {@code outlink -> sentinel}. An attempt's path names, after escaping, an
 * existing outside file ({@code sentinel}), a name to create ({@code created}), a directory
 * ({@code emptydir}) or a symlink ({@code outlink}), per request ({@code {t}} in the table).
 */
@ExtendWith(EngineInvariants.class)
class JailTraversalTest {

    @TempDir
    Path tmp;

    /**
     * One traversal attempt.
     *
     * @param what what it tries
     * @param path the path, {@code {t}} standing for the outside name the request would act on,
     *     {@code {abs}} for the absolute path of {@code tmp}
     * @param expected the errno every request must fail with
     * @param finalOnly only the last component escapes (a symlink): requests that do not follow a
     *     final symlink act on the link itself, inside, and are not part of the attempt
     */
    record Attempt(String what, String path, Errno expected, boolean finalOnly) {
        @Override
        public String toString() {
            return what + " [" + path + "]";
        }
    }

    static List<Attempt> attempts() {
        return List.of(
                new Attempt("dot-dot out of the root", "../outside/{t}", Errno.EXDEV, false),
                new Attempt("the root's parent itself", "..", Errno.EXDEV, false),
                new Attempt("down then further up", "a/../../outside/{t}", Errno.EXDEV, false),
                new Attempt("deep then further up", "a/b/c/../../../../outside/{t}", Errno.EXDEV, false),
                new Attempt("dot then up", "./../outside/{t}", Errno.EXDEV, false),
                new Attempt("dots mixed in", "a/./../.././outside/{t}", Errno.EXDEV, false),
                new Attempt("out and back in (RESOLVE_BENEATH refuses it)", "../jail/a/file", Errno.EXDEV, false),
                new Attempt("absolute path outside", "{abs}/outside/{t}", Errno.EXDEV, false),
                new Attempt("absolute path inside (refused too)", "{abs}/jail/a/file", Errno.EXDEV, false),
                new Attempt("/proc/self/root magic link", "/proc/self/root{abs}/outside/{t}", Errno.EXDEV, false),
                new Attempt("the file system root", "/", Errno.EXDEV, false),
                new Attempt("symlink to / in the middle", "toRoot{abs}/outside/{t}", Errno.EXDEV, false),
                new Attempt("symlink to ..", "toParent/outside/{t}", Errno.EXDEV, false),
                new Attempt("relative symlink chain climbing out", "chain1/outside/{t}", Errno.EXDEV, false),
                new Attempt("directory symlink in the middle climbing out", "a/toUp/outside/{t}", Errno.EXDEV, false),
                new Attempt("absolute directory symlink to outside", "a/toOutsideDir/{t}", Errno.EXDEV, false),
                new Attempt("absolute symlink pointing inside (refused too)", "toJailAbs/file", Errno.EXDEV, false),
                new Attempt("symlink to /proc/self/root", "procroot{abs}/outside/{t}", Errno.EXDEV, false),
                new Attempt("symlink loop in the middle", "loop1/{t}", Errno.ELOOP, false),
                new Attempt("symlink loop as last component", "selfloop", Errno.ELOOP, true),
                new Attempt("relative symlink to an outside file", "toSentinel", Errno.EXDEV, true),
                new Attempt("absolute symlink to an outside file", "toSentinelAbs", Errno.EXDEV, true),
                new Attempt("symlink to an outside directory, last", "toOutsideDirRel", Errno.EXDEV, true),
                new Attempt("percent-encoded dots are just a name", "%2e%2e/outside/{t}", Errno.ENOENT, false),
                new Attempt("encoded slashes are just a name", "..%2f..%2foutside/{t}", Errno.ENOENT, false),
                new Attempt("three dots are just a name", ".../outside/{t}", Errno.ENOENT, false),
                new Attempt("the empty path", "", Errno.ENOENT, false),
                new Attempt("a file used as a directory", "a/file/../../../outside/{t}", Errno.ENOTDIR, false));
    }

    /**
     * One request of the table.
     *
     * @param name the request
     * @param target which outside name {@code {t}} stands for
     * @param follows whether it follows a final symlink
     * @param submit submits it through the jail's view with the attempt's path
     */
    record Op(String name, String target, boolean follows, BiFunction<AioEngine, Path, AioFuture<?>> submit) {}

    static List<Op> ops() {
        Path inside = Path.of("a/file");
        return List.of(
                new Op("stat", "sentinel", true, (in, p) -> in.stat(p)),
                new Op("lstat", "sentinel", false, (in, p) -> in.lstat(p)),
                new Op("open O_RDONLY", "sentinel", true, (in, p) -> in.open(p, O_RDONLY, 0)),
                new Op("open O_WRONLY|O_TRUNC", "sentinel", true, (in, p) -> in.open(p, O_WRONLY | O_TRUNC, 0)),
                new Op("open O_CREAT", "created", true, (in, p) -> in.open(p, O_WRONLY | O_CREAT, 0644)),
                new Op("open O_CREAT|O_EXCL", "created", false, (in, p) -> in.open(p, O_WRONLY | O_CREAT | O_EXCL, 0644)),
                new Op("load", "sentinel", true, (in, p) -> in.load(p)),
                new Op("truncate", "sentinel", true, (in, p) -> in.truncate(p, 0)),
                new Op("chmod", "sentinel", true, (in, p) -> in.chmod(p, 0777)),
                new Op("chmod setuid", "sentinel", true, (in, p) -> in.chmod(p, 04777)),
                new Op("chown", "sentinel", true, (in, p) -> in.chown(p, 4242, 4242)),
                new Op("utime", "sentinel", true, (in, p) -> in.utime(p, 1.0, 1.0)),
                new Op("unlink", "sentinel", false, (in, p) -> in.unlink(p)),
                new Op("rmdir", "emptydir", false, (in, p) -> in.rmdir(p)),
                new Op("rename from", "sentinel", false, (in, p) -> in.rename(p, Path.of("moved"))),
                new Op("rename to", "created", false, (in, p) -> in.rename(Path.of("victim"), p)),
                new Op("rename2 NOREPLACE from", "sentinel", false, (in, p) -> in.rename2(p, Path.of("moved"), RENAME_NOREPLACE)),
                new Op("rename2 NOREPLACE to", "created", false, (in, p) -> in.rename2(Path.of("victim"), p, RENAME_NOREPLACE)),
                new Op("mkdir", "created", false, (in, p) -> in.mkdir(p, 0755)),
                new Op("mknod", "created", false, (in, p) -> in.mknod(p, S_IFREG | 0644, 0)),
                new Op("symlink", "created", false, (in, p) -> in.symlink(Path.of("anything"), p)),
                new Op("link to", "created", false, (in, p) -> in.link(Path.of("victim"), p)),
                new Op("link from", "sentinel", false, (in, p) -> in.link(p, Path.of("linked"))),
                new Op("readlink", "outlink", false, (in, p) -> in.readlink(p)),
                new Op("realpath", "sentinel", true, (in, p) -> in.realpath(p)),
                new Op("statvfs", "sentinel", true, (in, p) -> in.statvfs(p)),
                new Op("wd", "emptydir", true, (in, p) -> in.wd(p)),
                new Op("jail", "emptydir", true, (in, p) -> in.jail(p)),
                new Op("control: inside", "sentinel", true, (in, p) -> in.stat(inside)));
    }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        WdTesting.kinds().forEach(k -> attempts().forEach(a -> rows.add(Arguments.of(k, a))));
        return rows.stream();
    }

    private Path jail;
    private Path outside;

    private void build() throws Exception {
        String abs = tmp.toRealPath().toString();
        jail = Files.createDirectory(tmp.resolve("jail"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("sentinel"), "secret");
        Files.createDirectory(outside.resolve("emptydir"));
        Files.createSymbolicLink(outside.resolve("outlink"), Path.of("sentinel"));

        Files.createDirectories(jail.resolve("a/b/c"));
        Files.writeString(jail.resolve("a/file"), "inside");
        Files.writeString(jail.resolve("victim"), "victim");
        Files.createSymbolicLink(jail.resolve("toRoot"), Path.of("/"));
        Files.createSymbolicLink(jail.resolve("toParent"), Path.of(".."));
        Files.createSymbolicLink(jail.resolve("chain1"), Path.of("a/chain2"));
        Files.createSymbolicLink(jail.resolve("a/chain2"), Path.of("../.."));
        Files.createSymbolicLink(jail.resolve("loop1"), Path.of("loop2"));
        Files.createSymbolicLink(jail.resolve("loop2"), Path.of("loop1"));
        Files.createSymbolicLink(jail.resolve("selfloop"), Path.of("selfloop"));
        Files.createSymbolicLink(jail.resolve("toSentinel"), Path.of("../outside/sentinel"));
        Files.createSymbolicLink(jail.resolve("toSentinelAbs"), Path.of(abs, "outside/sentinel"));
        Files.createSymbolicLink(jail.resolve("toOutsideDirRel"), Path.of("a/toUp/outside/emptydir"));
        Files.createSymbolicLink(jail.resolve("a/toUp"), Path.of("../.."));
        Files.createSymbolicLink(jail.resolve("a/toOutsideDir"), Path.of(abs, "outside"));
        Files.createSymbolicLink(jail.resolve("toJailAbs"), Path.of(abs, "jail/a"));
        Files.createSymbolicLink(jail.resolve("procroot"), Path.of("/proc/self/root"));
    }

    /** Symlinks to "/" are removed before JUnit cleans up, so it has nothing to warn about. */
    @AfterEach
    void removeLinksToTheRoot() throws Exception {
        if (jail != null) {
            Files.deleteIfExists(jail.resolve("toRoot"));
            Files.deleteIfExists(jail.resolve("procroot"));
        }
    }

    private Path pathOf(Attempt a, Op op) throws Exception {
        String abs = tmp.toRealPath().toString();
        return Path.of(a.path().replace("{abs}", abs).replace("{t}", op.target()));
    }

    // Each traversal attempt fails with its errno through every path request, and nothing outside the jail changes:
    // on the portable walk, on the kernel's openat2 resolution, and on the walk over native calls (openat2 missing).
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("table")
    void everyRequestIsRefusedAndNothingOutsideChanges(WdTesting.Kind kind, Attempt attempt) throws Exception {
        build();
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            for (Op op : ops()) {
                if (attempt.finalOnly() && !op.follows()) {
                    continue;
                }
                int errno = errno(aio, op.submit().apply(in, pathOf(attempt, op)));
                String as = op.name() + " of " + pathOf(attempt, op);
                if (op.name().startsWith("control")) {
                    assertThat(name(errno)).as(as).isEqualTo(name(0));
                } else {
                    assertThat(name(errno)).as(as).isEqualTo(attempt.expected().name());
                }
                assertThat(snapshot(tmp, Path.of("jail"))).as("outside the jail after " + as).isEqualTo(before);
            }
        }
        assertThat(WdTesting.names(jail)).as("nothing staged is left in the jail's root").noneMatch(n -> n.startsWith(".aio-jail-"));
    }

    // A NUL byte cannot even make a Path (InvalidPathException), so it never reaches a jail; the string form gives ENOENT.
    @Test
    void aNulByteIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> Path.of("a\0/../../outside")).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> new org.ioaio.internal.sys.NioSyscalls().path("..\0"))
                .isInstanceOfSatisfying(org.ioaio.internal.sys.SyscallException.class,
                        e -> assertThat(e.error()).isEqualTo(Errno.ENOENT));
    }

    // "a symlink ... that would leave it": requests that do not follow a final symlink act on the link itself, inside the jail.
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.ioaio.wd.WdTesting#kinds")
    void aFinalSymlinkToOutsideIsActedOnItselfByNoFollowRequests(WdTesting.Kind kind) throws Exception {
        build();
        Map<String, String> before = snapshot(tmp, Path.of("jail"));
        try (AioEngine aio = kind.engine(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
            AioEngine in = aio.in(j);
            assertThat(WdTesting.await(aio, in.lstat(Path.of("toSentinel"))).mode() & 0170000).isEqualTo(0120000);
            assertThat(WdTesting.await(aio, in.readlink(Path.of("toSentinel")))).isEqualTo(Path.of("../outside/sentinel"));
            assertThat(name(errno(aio, in.open(Path.of("toSentinel"), O_WRONLY | O_CREAT | O_EXCL, 0644)))).isEqualTo("EEXIST");
            WdTesting.await(aio, in.rename(Path.of("toSentinel"), Path.of("a/renamedLink")));
            WdTesting.await(aio, in.unlink(Path.of("a/renamedLink")));
            assertThat(Files.exists(jail.resolve("toSentinel"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
        assertThat(snapshot(tmp, Path.of("jail"))).isEqualTo(before);
    }
}
