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
import static org.ioaio.AioConstants.AT_SYMLINK_NOFOLLOW;
import static org.ioaio.AioConstants.STATX_BASIC_STATS;
import static org.ioaio.wd.WdTesting.errno;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.ioaio.AioEngine;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A trailing slash makes Linux follow a final symbolic link even where the call itself would not
 * ({@code lstat("link/")}, {@code readlink}, {@code statx} with {@code AT_SYMLINK_NOFOLLOW}, the
 * source of {@code link}). In a jail such a name is resolved beneath the jail, so a link leading out
 * answers EXDEV, however the call is made; the calls that never follow ({@code unlink}, {@code
 * rmdir}, {@code rename}) act on the link's name only. Nothing outside is looked at or changed.
 */
@ExtendWith(EngineInvariants.class)
class JailTrailingSlashTest {

    @TempDir
    Path tmp;

    // Each call on "out/" (a link to a directory outside) and "gone/" (a link to a missing name outside) is EXDEV
    // where Linux would follow it, and ENOTDIR where it would not; the outside directory and the links stay.
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.ioaio.wd.WdTesting#kinds")
    void aSlashedLinkLeadingOutIsNeverFollowedOut(WdTesting.Kind kind) throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("gone"), tmp.resolve("missing"));
        var permissions = Files.getPosixFilePermissions(outside);
        List<Function<AioEngine, AioFuture<?>>> following = List.of(
                in -> in.lstat("out/"), in -> in.lstat("gone/"),
                in -> in.readlink("out/"), in -> in.readlink("gone/"),
                in -> in.statx("out/", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS),
                in -> in.link("out/", "linked"), in -> in.link("gone/", "linked"),
                in -> in.stat("out/"), in -> in.chmod("out/", 0700), in -> in.readdir("out/"));
        List<Function<AioEngine, AioFuture<?>>> notFollowing = List.of(
                in -> in.unlink("out/"), in -> in.rmdir("out/"), in -> in.unlink("gone/"), in -> in.rmdir("gone/"));
        try (AioEngine aio = kind.builder().minParallel(2).build();
                AioWorkingDirectory jail = AioWorkingDirectory.jail(root)) {
            AioEngine in = aio.in(jail);
            for (int i = 0; i < following.size(); i++) {
                assertThat(Errno.describe(errno(in, following.get(i).apply(in)))).as("%s: following call %d", kind, i)
                        .isEqualTo(Errno.describe(Errno.EXDEV.code()));
            }
            for (int i = 0; i < notFollowing.size(); i++) {
                assertThat(Errno.describe(errno(in, notFollowing.get(i).apply(in)))).as("%s: call %d", kind, i)
                        .isEqualTo(Errno.describe(Errno.ENOTDIR.code()));
            }
        }
        assertThat(outside.resolve("secret")).hasContent("secret");
        assertThat(Files.getPosixFilePermissions(outside)).isEqualTo(permissions);
        assertThat(root.resolve("out")).isSymbolicLink();
        assertThat(root.resolve("gone")).isSymbolicLink();
        assertThat(root.resolve("linked")).doesNotExist();
    }
}
