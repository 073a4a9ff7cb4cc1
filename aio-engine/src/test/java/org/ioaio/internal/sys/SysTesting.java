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
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ioaio.Errno;

/** Shared helpers of the syscall layer tests: errno assertions and running a command. */
final class SysTesting {

    private SysTesting() {}

    /** A call that may fail with a {@link SyscallException}. */
    @FunctionalInterface
    interface Call {
        /**
         * Runs the call.
         *
         * @throws Exception its failure
         */
        void run() throws Exception;
    }

    /**
     * Asserts that {@code call} fails with a {@link SyscallException} carrying {@code expected}.
     *
     * @param expected the errno
     * @param call the call
     * @return the exception, for further checks
     */
    static SyscallException assertErrno(Errno expected, Call call) {
        try {
            call.run();
        } catch (SyscallException e) {
            assertThat(Errno.describe(e.errno()))
                    .as("errno (cause: %s)", e.getCause())
                    .isEqualTo(Errno.describe(expected.code()));
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected SyscallException " + expected + ", got " + e, e);
        }
        return fail("expected SyscallException " + expected + ", but the call succeeded");
    }

    /** The outcome of a command: exit status, standard output and standard error. */
    record Result(int status, String out, String err) {}

    /**
     * Runs a command (tests only: the layer itself never starts a process) and waits for it.
     *
     * @param command the command and its arguments
     * @return its outcome
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(p.getInputStream(), out);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("command did not finish: " + command);
        }
        errReader.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8).trim(),
                err.toString(StandardCharsets.UTF_8).trim());
    }

    /**
     * Runs a command that must succeed and returns its standard output.
     *
     * @param command the command and its arguments
     * @return its trimmed standard output
     * @throws Exception if it cannot be run or fails
     */
    static String output(String... command) throws Exception {
        Result r = run(List.of(command));
        assertThat(r.status()).as("%s: %s", String.join(" ", command), r.err()).isZero();
        return r.out();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The effective user id of this process.
     *
     * @return the uid
     * @throws IOException if /proc cannot be read
     */
    static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
