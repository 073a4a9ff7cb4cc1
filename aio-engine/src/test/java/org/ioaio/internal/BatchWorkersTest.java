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

package org.ioaio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;

class BatchWorkersTest {

    // A kernel that refuses the policy (a seccomp filter: EPERM) leaves every worker to start and
    // run as before; the engine reports the refusal once, naming the errno, and says the workers
    // are not batch threads.
    @Test
    void aRefusalIsLoggedOnceAndReported() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();
        BatchWorkers hook = new BatchWorkers(() -> {
            asked.incrementAndGet();
            return Errno.EPERM.code();
        });
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger("org.ioaio.AioEngine");
        log.addHandler(capture);
        try {
            assertThat(hook.active()).isTrue();
            Thread[] workers = new Thread[4];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Thread(hook);
                workers[i].start();
            }
            for (Thread t : workers) {
                t.join();
            }
        } finally {
            log.removeHandler(capture);
        }
        assertThat(asked).hasValue(4);
        assertThat(hook.active()).isFalse();
        assertThat(logged).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).contains("SCHED_BATCH", "EPERM");
        });
    }

    // A hook whose call throws counts as refused (EIO) and does not throw into the worker.
    @Test
    void aFailingCallIsARefusalNotACrash() {
        BatchWorkers hook = new BatchWorkers(() -> {
            throw new IllegalStateException("sched_setscheduler failed: test");
        });
        hook.run();
        assertThat(hook.active()).isFalse();
    }

    // Where the native layer is, the hook is there and leaves the thread a batch thread; without it there is none.
    @Test
    void theHookExistsExactlyWhereTheNativeLayerIs() throws Exception {
        BatchWorkers hook = BatchWorkers.ifAvailable();
        assertThat(hook != null).isEqualTo(Platform.nativeLayer().available());
        if (hook != null) {
            int[] policy = new int[1];
            Thread t = new Thread(() -> {
                hook.run();
                try {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
                    policy[0] = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3]);
                } catch (java.io.IOException e) {
                    policy[0] = -1;
                }
            });
            t.start();
            t.join();
            assertThat(policy[0]).as("SCHED_BATCH").isEqualTo(3);
            assertThat(hook.active()).isTrue();
        }
    }
}
