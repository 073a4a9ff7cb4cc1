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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ioaio.AsNobody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jail's {@code chmod} and {@code utime} as an ordinary user (nobody, in a child JVM: the tests
 * run as root, where permissions do not count). Over the portable layer a regular file's attributes
 * are changed through a read-write descriptor (a read-only open would wait on a FIFO renamed in
 * after the check), so a file its owner may not write is refused with EACCES, nothing changed;
 * a directory goes through its own descriptor, and a writable file works. The native layer opens
 * nothing and changes all three.
 */
class JailAttributesTest {

    @TempDir
    Path tmp;

    @Test
    void aPortableJailChangesWhatItCanOpenReadWriteAndRefusesTheRestWithEacces() throws Exception {
        String unavailable = AsNobody.unavailable();
        assumeTrue(unavailable == null, unavailable);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jail = Files.createDirectory(tmp.resolve("jail"));
        Files.writeString(jail.resolve("rw"), "w");
        Files.writeString(jail.resolve("ro"), "r");
        Files.createDirectory(jail.resolve("dir"));
        for (String name : new String[] {"rw", "ro", "dir", ""}) {
            Files.setAttribute(jail.resolve(name), "unix:uid", 65534);
            Files.setAttribute(jail.resolve(name), "unix:gid", 65534);
        }
        Files.setPosixFilePermissions(jail.resolve("ro"), PosixFilePermissions.fromString("r--r--r--"));

        List<String> backends = AsNobody.backends();
        List<String> args = new ArrayList<>(List.of(jail.toString()));
        args.addAll(backends);
        List<String> command = AsNobody.command(JailAttributesProbe.class, args);
        String out = run(command);
        assertThat(out).contains("NIO chmod rw=0", "NIO utime rw=0", "NIO chmod ro=EACCES", "NIO utime ro=EACCES",
                "NIO chmod dir=0", "NIO utime dir=0");
        if (backends.contains("NATIVE")) {
            assertThat(out).contains("NATIVE chmod rw=0", "NATIVE utime rw=0", "NATIVE chmod ro=0", "NATIVE utime ro=0",
                    "NATIVE chmod dir=0", "NATIVE utime dir=0");
        }
        assertThat(Files.getLastModifiedTime(jail.resolve("dir")).toMillis()).as("the directory's new time").isEqualTo(200_000);
    }

    /** Runs {@code command}: its output; fails the test with its error output if it fails. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
        return out;
    }
}
