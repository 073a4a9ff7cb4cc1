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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.AsNobody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aio_scandir's directories are "directories you can recurse into" (IO::AIO: {@code stat
 * "entry/."} must succeed): a directory the caller cannot search is a non-directory, on both
 * backends (issue #14, item 6), and the answer is IO::AIO's. Root can search anything, so the scan
 * runs in a child JVM as user nobody (setpriv), as {@code EngineEaccesProbe} does.
 */
class ScandirSearchableTest {

    @TempDir
    Path tmp;

    // "scandir ... directories you can recurse into": an unsearchable directory (r--) is with the non-directories, a searchable unreadable one (--x) with the directories; both backends agree, and with IO::AIO.
    @Test
    void unsearchableDirectoriesAreNonDirectories() throws Exception {
        String unavailable = AsNobody.unavailable();
        assumeTrue(unavailable == null, unavailable);
        Path setpriv = Path.of("/usr/bin/setpriv");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path d = Files.createDirectory(tmp.resolve("d"));
        Files.createDirectory(d.resolve("open"));
        Path closed = Files.createDirectory(d.resolve("closed"));
        Path noread = Files.createDirectory(d.resolve("noread"));
        Files.writeString(d.resolve("f1"), "x");
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(noread, PosixFilePermissions.fromString("--x--x--x"));
        Files.setLastModifiedTime(d, FileTime.fromMillis(0)); // the link count is trusted: entries are probed
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> backends = AsNobody.backends();
        List<String> args = new ArrayList<>(List.of(d.toString()));
        args.addAll(backends);
        List<String> command = AsNobody.command(ScandirProbe.class, args);
        TreeTesting.Result r = TreeTesting.run(command);
        assumeTrue(r.status() == 0, "could not run the probe as user nobody (status " + r.status() + "): " + r.err());
        for (String b : backends) {
            assertThat(r.text()).as("%s", b).contains(b + "=noread,open/closed,f1");
        }
        if (TreeTesting.perlHasIoAio()) {
            TreeTesting.Result perl = TreeTesting.run(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                    "perl", "-MIO::AIO", "-e", "aio_scandir $ARGV[0], 0, sub { print join(',', sort @{$_[0]}), '/',"
                            + " join(',', sort @{$_[1]}), \"\\n\" }; IO::AIO::flush;", d.toString()));
            assertThat(perl.text().trim()).as("IO::AIO as nobody").isEqualTo("noread,open/closed,f1");
        } else {
            System.out.println("SKIPPED (IO::AIO comparison): perl IO::AIO is not installed");
        }
    }
}
