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
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code fio} (the machine's limit) for random 4 KiB reads, cached (psync) or uncached (psync
 * or io_uring), and reads {@code jobs[0].read.iops} from its JSON output. With {@code --group_reporting} the one job
 * entry is the aggregate of all {@code numjobs}, so the IOPS are the total of every job and
 * {@code 1e6 / iops} is wall-clock microseconds per read, comparable with the other figures.
 * Unavailable (with the reason) when {@code fio} cannot be run.
 */
final class FioPeer {

    /** The first {@code "read"} object and the first exact {@code "iops"} key inside it. */
    private static final Pattern READ_IOPS =
            Pattern.compile("\"read\"\\s*:\\s*\\{[^{}]*?\"iops\"\\s*:\\s*([0-9.eE+-]+)", Pattern.DOTALL);

    private final String unavailable;
    private final String version;

    private FioPeer(String version, String unavailable) {
        this.version = version;
        this.unavailable = unavailable;
    }

    /** Checks that {@code fio --version} runs. */
    static FioPeer find() {
        try {
            Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                return new FioPeer(null, "fio --version failed: " + out);
            }
            return new FioPeer(out, null);
        } catch (IOException e) {
            return new FioPeer(null, "no fio (apt-get install -y fio): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FioPeer(null, "interrupted");
        }
    }

    /** Why fio cannot run, or {@code null} when it can. */
    String unavailable() {
        return unavailable;
    }

    /** fio's version string, or {@code null}. */
    String version() {
        return version;
    }

    /**
     * One time-based run of cached random 4 KiB psync reads.
     *
     * @param file the file (already cached; fio does not invalidate it)
     * @param size the file's size in bytes (a whole number of MiB)
     * @param jobs numjobs
     * @param seconds runtime
     * @return aggregate IOPS of all jobs, or empty when it failed (the output is printed)
     */
    OptionalDouble iops(Path file, long size, int jobs, int seconds) {
        return run(List.of("fio", "--name=r", "--filename=" + file, "--rw=randread", "--bs=4k",
                "--ioengine=psync", "--numjobs=" + jobs, "--invalidate=0", "--runtime=" + seconds, "--time_based",
                "--size=" + (size >> 20) + "m", "--group_reporting", "--output-format=json"));
    }

    /**
     * One run of random 4 KiB reads of a file the caller has just evicted from the page cache,
     * bounded by the bytes each job reads (so it reads no more blocks than the other variants, and
     * never warms the cache for itself).
     *
     * @param file the file (evicted; fio does not invalidate it again)
     * @param size the file's size in bytes (a whole number of MiB)
     * @param engine {@code psync} or {@code io_uring}
     * @param jobs numjobs
     * @param depth iodepth (1 for psync)
     * @param bytesPerJob io_size of each job
     * @return aggregate IOPS of all jobs, or empty when it failed (the output is printed)
     */
    OptionalDouble iopsUncached(Path file, long size, String engine, int jobs, int depth, long bytesPerJob) {
        return run(List.of("fio", "--name=r", "--filename=" + file, "--rw=randread", "--bs=4k",
                "--ioengine=" + engine, "--iodepth=" + depth, "--numjobs=" + jobs, "--invalidate=0",
                "--io_size=" + bytesPerJob, "--size=" + (size >> 20) + "m", "--group_reporting", "--output-format=json"));
    }

    private OptionalDouble run(List<String> cmd) {
        if (unavailable != null) {
            return OptionalDouble.empty();
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            int jobsAt = out.indexOf("\"jobs\"");
            Matcher m = READ_IOPS.matcher(out);
            if (rc == 0 && jobsAt >= 0 && m.find(jobsAt)) {
                double iops = Double.parseDouble(m.group(1));
                if (iops > 0) {
                    return OptionalDouble.of(iops);
                }
            }
            System.err.println("fio run failed (" + rc + "): " + String.join(" ", cmd) + "\n" + out);
        } catch (IOException e) {
            System.err.println("fio run failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalDouble.empty();
    }
}
