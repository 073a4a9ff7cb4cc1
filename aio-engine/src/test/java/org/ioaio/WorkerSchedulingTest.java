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

package org.ioaio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Worker threads under Linux's {@code SCHED_BATCH} ({@link AioEngine.Builder#batchWorkers}). */
@ExtendWith(EngineInvariants.class)
class WorkerSchedulingTest {

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_BATCH = 3;

    /** The calling thread's scheduling policy: field 41 of {@code /proc/thread-self/stat}. */
    static int policy() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[41 - 3]);
    }

    private static int workerPolicy(AioEngine aio) {
        AioFuture<Integer> p = aio.custom(WorkerSchedulingTest::policy);
        aio.flush();
        return p.join();
    }

    // By default the workers are batch threads wherever the native layer is (Java 22+ on Linux),
    // whichever backend runs the requests; without it the setting has nothing to act with, and
    // the engine says so. The thread that built the engine keeps its policy.
    @ParameterizedTest
    @EnumSource(value = AioBackend.class, names = {"NIO", "NATIVE"})
    void workersAreBatchThreadsByDefault(AioBackend backend) throws IOException {
        boolean nativeLayer = Platform.nativeLayer().available();
        if (backend == AioBackend.NATIVE && !nativeLayer) {
            String why = "native backend not available: " + Platform.nativeLayer().reason();
            System.out.println("SKIPPED: " + why);
            assumeTrue(false, why);
        }
        try (AioEngine aio = AioEngine.builder().backend(backend).minParallel(2).build()) {
            assertThat(workerPolicy(aio)).isEqualTo(nativeLayer ? SCHED_BATCH : SCHED_OTHER);
            assertThat(aio.batchWorkers()).isEqualTo(nativeLayer);
            assertThat(aio.withPriority(4).batchWorkers()).as("a view says what its engine does").isEqualTo(nativeLayer);
        }
        assertThat(policy()).as("the building thread's policy").isEqualTo(SCHED_OTHER);
    }

    // batchWorkers(false) leaves the workers under the default policy.
    @Test
    void batchWorkersFalseLeavesTheDefaultPolicy() throws IOException {
        try (AioEngine aio = AioEngine.builder().batchWorkers(false).build()) {
            assertThat(workerPolicy(aio)).isEqualTo(SCHED_OTHER);
            assertThat(aio.batchWorkers()).isFalse();
        }
    }
}
