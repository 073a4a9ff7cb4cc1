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

import org.ioaio.internal.sys.Syscalls;

/** Lets tests outside {@code org.ioaio} build an engine on a chosen syscall layer (a fault injector, a recorder). */
public final class TestEngines {

    private TestEngines() {}

    /**
     * An engine with {@code threads} workers whose requests run on {@code sys}.
     *
     * @param sys the syscall layer
     * @param threads worker threads
     * @return the engine
     */
    public static AioEngine on(Syscalls sys, int threads) {
        return AioEngine.builder().minParallel(threads).syscalls(sys).build();
    }

    /**
     * A builder whose engine's requests run on {@code sys}, for settings {@link #on} does not make.
     *
     * @param sys the syscall layer
     * @return the builder
     */
    public static AioEngine.Builder builderOn(Syscalls sys) {
        return AioEngine.builder().syscalls(sys);
    }

    /**
     * Makes {@code builder}'s engine, and each of its views, run through {@code faults} (above the working directory).
     *
     * @param builder the builder
     * @param faults the rules
     * @return the builder
     */
    public static AioEngine.Builder withFaults(AioEngine.Builder builder, org.ioaio.faults.FaultInjectingSyscalls faults) {
        return builder.decorate(faults::wrap);
    }

    /**
     * Limits {@code aio} to one worker and keeps it busy (a custom task) until the returned latch
     * is counted down, so that whatever completes meanwhile ran without a worker: in the io_uring
     * lane. ({@code maxParallel(0)} cannot serve here: it holds the ring's requests too.)
     *
     * @param aio the engine
     * @return the latch that releases the worker
     * @throws InterruptedException if interrupted while the task starts
     */
    public static java.util.concurrent.CountDownLatch occupyTheOnlyWorker(AioEngine aio) throws InterruptedException {
        aio.maxParallel(1);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        aio.custom(() -> {
            started.countDown();
            release.await();
            return null;
        });
        started.await();
        return release;
    }
}
