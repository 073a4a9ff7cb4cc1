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

import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_WRONLY;

import java.nio.file.Path;
import org.ioaio.internal.Platform;

/**
 * Run by {@link EnvironmentErrorsTest} in a child JVM as an unprivileged user (root bypasses
 * permission bits): performs each "operation path" pair of its arguments through the syscall layer
 * its first argument names ({@code nio}, {@code native} or {@code uring}) and prints "operation=errno" per line (0
 * for success).
 */
public final class EaccesProbe {

    private EaccesProbe() {}

    /**
     * Runs the operations.
     *
     * @param args the layer ({@code nio}, {@code native} or {@code uring}), then pairs of an operation (open-read,
     *     open-write, create, stat, statx, unlink, mkdir, chmod) and a path
     */
    public static void main(String[] args) {
        Syscalls sys = args[0].equals("nio") ? new NioSyscalls() : Platform.nativeLayer().syscalls();
        if (sys == null) {
            throw new IllegalStateException("native backend not available: " + Platform.nativeLayer().reason());
        }
        if (args[0].equals("uring")) {
            try {
                sys = (Syscalls) Class.forName("org.ioaio.internal.linux.UringSyscalls").getMethod("create").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        for (int i = 1; i + 1 < args.length; i += 2) {
            String op = args[i];
            Path p = Path.of(args[i + 1]);
            int errno = 0;
            try {
                switch (op) {
                    case "open-read":
                        sys.close(sys.open(p, O_RDONLY, 0));
                        break;
                    case "open-write":
                        sys.close(sys.open(p, O_WRONLY, 0));
                        break;
                    case "create":
                        sys.close(sys.open(p, O_CREAT | O_WRONLY, 0644));
                        break;
                    case "stat":
                        sys.stat(p);
                        break;
                    case "statx":
                        sys.statx(p, 0, org.ioaio.AioConstants.STATX_BASIC_STATS | org.ioaio.AioConstants.STATX_BTIME);
                        break;
                    case "unlink":
                        sys.unlink(p);
                        break;
                    case "mkdir":
                        sys.mkdir(p, 0755);
                        break;
                    case "chmod":
                        sys.chmod(p, 0777);
                        break;
                    default:
                        throw new IllegalArgumentException(op);
                }
            } catch (SyscallException e) {
                errno = e.errno();
            }
            System.out.println(op + "=" + errno);
        }
    }
}
