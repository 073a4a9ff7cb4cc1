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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real IO::AIO 4.8 through the project's shared {@code ioaio-bench.pl} and reads its
 * {@code us_per_op}. Unavailable (with the reason) when perl's IO::AIO or the script is missing.
 */
final class IoAioPeer {

    private static final Pattern US_PER_OP = Pattern.compile("us_per_op=([0-9.]+)");

    private final Path script;
    private final String unavailable;

    private IoAioPeer(Path script, String unavailable) {
        this.script = script;
        this.unavailable = unavailable;
    }

    /** Finds the script under {@code benchDir} and checks that perl has IO::AIO. */
    static IoAioPeer find(Path benchDir) {
        Path script = benchDir.resolve("ioaio-bench.pl");
        if (!Files.isRegularFile(script)) {
            return new IoAioPeer(null, "no " + script + " (pass --shared-bench DIR)");
        }
        try {
            Process p = new ProcessBuilder("perl", "-MIO::AIO", "-e", "1").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                return new IoAioPeer(null, "perl has no IO::AIO (apt-get install -y libio-aio-perl)");
            }
        } catch (IOException e) {
            return new IoAioPeer(null, "cannot run perl: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IoAioPeer(null, "interrupted");
        }
        return new IoAioPeer(script, null);
    }

    /** Why the peer cannot run, or {@code null} when it can. */
    String unavailable() {
        return unavailable;
    }

    /**
     * Runs one workload of {@code ioaio-bench.pl} and returns its microseconds per operation.
     *
     * @param args the script's arguments (workload first)
     * @return us per op, or empty when it failed (the output is printed)
     */
    OptionalDouble usPerOp(String... args) {
        if (script == null) {
            return OptionalDouble.empty();
        }
        List<String> cmd = new ArrayList<>(List.of("perl", script.toString()));
        cmd.addAll(List.of(args));
        return usPerOp(run(cmd));
    }

    /**
     * Runs a perl program of the harness's own with IO::AIO, for a workload {@code ioaio-bench.pl}
     * does not have, and returns the {@code us_per_op=} it prints.
     *
     * @param program the program's text ({@code perl -e})
     * @param args its arguments
     * @return us per op, or empty when it failed (the output is printed)
     */
    OptionalDouble usPerOpInline(String program, String... args) {
        return usPerOp(inline(program, args));
    }

    /**
     * Runs a perl program of the harness's own with IO::AIO and returns its output.
     *
     * @param program the program's text ({@code perl -e})
     * @param args its arguments
     * @return its standard output and error, or {@code null} when it failed (the output is printed)
     */
    String inline(String program, String... args) {
        if (script == null) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of("perl", "-e", program));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static OptionalDouble usPerOp(String out) {
        if (out == null) {
            return OptionalDouble.empty();
        }
        Matcher m = US_PER_OP.matcher(out);
        if (m.find()) {
            return OptionalDouble.of(Double.parseDouble(m.group(1)));
        }
        System.err.println("IO::AIO printed no us_per_op: " + out);
        return OptionalDouble.empty();
    }

    /** The command's output when it exits 0, else {@code null} (printed). */
    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    out.append(line).append('\n');
                }
            }
            int rc = p.waitFor();
            if (rc == 0) {
                return out.toString();
            }
            System.err.println("IO::AIO run failed (" + rc + "): " + out);
        } catch (IOException e) {
            System.err.println("IO::AIO run failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
