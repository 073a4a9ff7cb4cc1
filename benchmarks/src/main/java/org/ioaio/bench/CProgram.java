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

package org.ioaio.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel-floor program of this module ({@code benchmarks/src/main/c/NAME.c}), built with the
 * machine's {@code cc} into a temporary directory that {@link #close()} removes. Where it cannot be
 * built, {@link #unavailable()} says why and the harness prints its rows as n/a.
 */
final class CProgram implements AutoCloseable {

    private final Path dir;
    private final Path exe;
    private final String unavailable;

    private CProgram(Path dir, Path exe, String unavailable) {
        this.dir = dir;
        this.exe = exe;
        this.unavailable = unavailable;
    }

    /**
     * Builds {@code benchmarks/src/main/c/NAME.c} with {@code cc -O2 -pthread}.
     *
     * @param name the program's name
     * @return the program, or one whose {@link #unavailable()} says why it could not be built
     * @throws IOException if no temporary directory can be made
     * @throws InterruptedException if interrupted while the compiler runs
     */
    static CProgram build(String name) throws IOException, InterruptedException {
        Path source = Path.of("benchmarks", "src", "main", "c", name + ".c");
        Path dir = Files.createTempDirectory("aio-" + name + "-");
        Path exe = dir.resolve(name);
        String out = run(List.of("cc", "-O2", "-pthread", "-o", exe.toString(), source.toString()));
        return new CProgram(dir, exe, out == null ? "no C compiler `cc` could build " + source : null);
    }

    /** Why the program could not be built, or {@code null} if it was. */
    String unavailable() {
        return unavailable;
    }

    /** A file in the program's temporary directory (removed with it). */
    Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * Runs the program.
     *
     * @param args its arguments
     * @return its standard output, or {@code null} when it failed (its error output printed)
     * @throws InterruptedException if interrupted while it runs
     */
    String run(String... args) throws InterruptedException {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        List<String> command = new ArrayList<>(List.of(exe.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs a command; its standard output, or null when it could not start or failed (its error output printed). */
    private static String run(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            System.out.println("(" + command.get(0) + ": " + e.getMessage() + ")");
            return null;
        }
    }

    /** Removes the temporary directory and what is in it. */
    @Override
    public void close() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
