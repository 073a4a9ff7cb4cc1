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

import java.util.List;

/** One measured variant of a benchmark: runs once and stores its figure for pass {@code p}. */
@FunctionalInterface
interface Variant {

    /**
     * Runs the variant once.
     *
     * @param pass the pass number, the index its figure goes to
     * @throws Exception on failure
     */
    void run(int pass) throws Exception;

    /**
     * Untimed runs of every in-process variant before the first timed pass. On these 2 cores the
     * workload keeps both busy and the JIT's compiler threads get little CPU, so one warm-up run
     * left the first timed passes measuring the compiler: aio's cached 4 KiB reads took 2.8, 1.5,
     * 1.0, 0.75 and then 0.70 us per read in five fresh runs of 100k reads, and a du of 100k files
     * 0.74, 0.29, 0.25, 0.26 and then 0.16-0.17 s (the peers settle sooner, their paths being
     * shorter). Four runs reach the steady state in which a long-running application works.
     */
    int WARM_UP_ROUNDS = 4;

    /**
     * Runs every variant once, starting with variant {@code pass % size} and wrapping around, so
     * that no variant always runs right after the same other one (a peer's after-effects, such
     * as a subprocess exiting, move around), each after a {@code System.gc()}, as {@code CostBench}
     * does: every run starts with an empty young generation, so a collection during it is caused
     * by its own allocation only, never by the garbage of the variant before it. Without it, a
     * young collection landing in a run that holds 1M queued requests copied all of them (a
     * 44 ms pause in an 80 ms run), and which run it landed in depended on the order: at 1M
     * queued nops, aio took 0.094 and a ThreadPoolExecutor 0.053 us per request when each ran
     * right after the other, but 0.073 and 0.075-0.113 when each ran after itself; after a
     * {@code System.gc()}, 0.086-0.097 and 0.113-0.125 in either order.
     *
     * @param variants the variants
     * @param pass the pass number
     * @throws Exception on failure
     */
    static void runPass(List<Variant> variants, int pass) throws Exception {
        int n = variants.size();
        for (int i = 0; i < n; i++) {
            System.gc();
            variants.get((pass + i) % n).run(pass);
        }
    }
}
