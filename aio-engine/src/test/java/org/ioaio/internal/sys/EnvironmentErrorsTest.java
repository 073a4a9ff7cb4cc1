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

import static org.assertj.core.api.Assertions.assertThat;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.internal.sys.SysTesting.assertErrno;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Errors that need a particular environment, on each syscall layer: EXDEV (two file systems),
 * EACCES (no privilege), ENOSPC (a full file system).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.ioaio.internal.sys.Layer#all")
@ExtendWith(EngineInvariants.class)
class EnvironmentErrorsTest {

    @TempDir
    Path dir;

    @Parameter
    Layer layer;

    private Syscalls sys;

    @BeforeEach
    void layer() {
        sys = layer.require();
    }

    private static void skip(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED: " + reason);
        }
        assumeTrue(condition, reason);
    }

    /** rename, link and rename2(NOREPLACE) into another file system (/dev/shm) fail with EXDEV and change nothing. */
    @Test
    void crossDeviceRenameAndLinkFailWithExdev() throws Exception {
        Path shm = Path.of("/dev/shm");
        skip(Files.isDirectory(shm) && Files.isWritable(shm), "/dev/shm is not a writable directory here");
        skip(sys.stat(shm).dev() != sys.stat(dir).dev(),
                "/dev/shm is on the same file system as " + dir + ", so no EXDEV can be provoked");
        Path f = Files.writeString(dir.resolve("f"), "x");
        Path d = Files.createDirectory(dir.resolve("d"));
        Path target = shm.resolve("aio-exdev-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            assertErrno(Errno.EXDEV, () -> sys.rename(f, target));
            assertErrno(Errno.EXDEV, () -> sys.link(f, target));
            assertErrno(Errno.EXDEV, () -> sys.rename2(f, target, RENAME_NOREPLACE));
            assertErrno(Errno.EXDEV, () -> sys.rename2(d, target, RENAME_NOREPLACE));
            assertErrno(Errno.EXDEV, () -> sys.rename(d, target));
            assertThat(Files.exists(target)).isFalse();
            assertThat(Files.readString(f)).isEqualTo("x");
            assertThat(Files.isDirectory(d)).isTrue();
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /**
     * Permission bits give EACCES (and owner-only calls EPERM) to an unprivileged caller: run in a
     * child JVM as user nobody, since root bypasses them.
     */
    @Test
    void permissionBitsGiveEaccesToUnprivilegedCallers() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = Files.writeString(dir.resolve("secret"), "x");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path readable = Files.writeString(dir.resolve("readable"), "x");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Files.writeString(closed.resolve("inside"), "x");
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        String[] operations = {
            "open-read", secret.toString(),
            "open-write", readable.toString(),
            "create", dir.resolve("new").toString(),
            "stat", closed.resolve("inside").toString(),
            "statx", closed.resolve("inside").toString(),
            "unlink", readable.toString(),
            "mkdir", dir.resolve("newdir").toString(),
            "chmod", readable.toString(),
            "open-read", readable.toString(),
        };
        Map<String, List<Integer>> errnos;
        if (SysTesting.uid() == 0) {
            errnos = runAsNobody(operations);
        } else {
            errnos = runHere(operations);
        }
        assertThat(errnos.get("open-read")).containsExactly(Errno.EACCES.code(), 0);
        assertThat(errnos.get("open-write")).containsExactly(Errno.EACCES.code());
        assertThat(errnos.get("create")).containsExactly(Errno.EACCES.code());
        assertThat(errnos.get("stat")).containsExactly(Errno.EACCES.code());
        assertThat(errnos.get("statx")).containsExactly(Errno.EACCES.code());
        assertThat(errnos.get("unlink")).containsExactly(Errno.EACCES.code());
        assertThat(errnos.get("mkdir")).containsExactly(Errno.EACCES.code());
        assertThat(errnos.get("chmod")).as("not the owner: EPERM, as chmod(2)").containsExactly(Errno.EPERM.code());
        assertThat(Files.exists(readable)).isTrue();
        assertThat(Files.exists(dir.resolve("new"))).isFalse();
    }

    private Map<String, List<Integer>> runAsNobody(String[] operations) throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        skip(Files.isExecutable(setpriv), "running as root and setpriv(1) is missing: cannot drop privileges for EACCES");
        Path classes = Path.of(NioSyscalls.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(EaccesProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of(
                setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + java.io.File.pathSeparator + testClasses,
                EaccesProbe.class.getName(), layer.name()));
        command.addAll(List.of(operations));
        SysTesting.Result r = SysTesting.run(command);
        skip(r.status() == 0, "could not run the probe as user nobody (status " + r.status() + "): " + r.err());
        Map<String, List<Integer>> errnos = new HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] kv = line.trim().split("=");
            errnos.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(Integer.parseInt(kv[1]));
        }
        return errnos;
    }

    private Map<String, List<Integer>> runHere(String[] operations) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            String[] args = new String[operations.length + 1];
            args[0] = layer.name();
            System.arraycopy(operations, 0, args, 1, operations.length);
            EaccesProbe.main(args);
        } finally {
            System.setOut(old);
        }
        Map<String, List<Integer>> errnos = new HashMap<>();
        for (String line : out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            String[] kv = line.trim().split("=");
            errnos.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(Integer.parseInt(kv[1]));
        }
        return errnos;
    }

    /** Writing to a full file system fails with ENOSPC (a 64 KiB tmpfs mounted for the test). */
    @Test
    void fullFileSystemGivesEnospc() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        SysTesting.Result mount = SysTesting.run(List.of("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString()));
        skip(mount.status() == 0, "cannot mount a 64k tmpfs (mount status " + mount.status() + ": " + mount.err()
                + "); no full file system for ENOSPC");
        try {
            Path f = mnt.resolve("filler");
            int written = 0;
            SyscallException full = null;
            try (FileHandle h = sys.open(f, O_CREAT | O_WRONLY, 0644)) {
                ByteBuffer chunk = ByteBuffer.allocate(8192);
                try {
                    for (int i = 0; i < 1000; i++) {
                        chunk.clear();
                        written += sys.write(h, chunk);
                    }
                } catch (SyscallException e) {
                    full = e;
                }
            }
            assertThat(full).as("a write fails once %d bytes filled the 64k file system", written).isNotNull();
            assertThat(Errno.describe(full.errno())).isEqualTo(Errno.describe(Errno.ENOSPC.code()));
            assertThat(written).isLessThanOrEqualTo(64 * 1024);
            try (FileHandle g = sys.open(mnt.resolve("other"), O_CREAT | O_RDWR, 0644)) {
                assertErrno(Errno.ENOSPC, () -> sys.pwrite(g, ByteBuffer.allocate(8192), 0));
                assertErrno(Errno.ENOSPC, () -> sys.fallocate(g, 0, 0, 1 << 20));
            }
            assertThat(sys.statvfs(mnt).bavail()).isZero();
        } finally {
            SysTesting.Result umount = SysTesting.run(List.of("umount", mnt.toString()));
            if (umount.status() != 0) {
                SysTesting.run(List.of("umount", "-l", mnt.toString()));
            }
        }
    }
}
