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

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * The plain-Java peer a user would otherwise write: N blocking tasks handed to an executor with at
 * most {@code window} in flight (a semaphore), timed from the first submission until the last task
 * finished. Pool creation and thread starts are inside the time, as they are for aio and IO::AIO.
 */
final class Windowed {

    private Windowed() {}

    /** Makes a fresh executor for one pass. */
    interface Pool {
        /**
         * A new executor.
         *
         * @return the executor, shut down by the caller
         */
        ExecutorService create();
    }

    /** A fixed {@link ThreadPoolExecutor} of {@code threads} threads. */
    static Pool threadPool(int threads) {
        return () -> new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()} (Java 21+, called reflectively because the
     * module targets Java 17), or {@code null} when this JVM has no virtual threads.
     */
    static Pool virtualThreads() {
        try {
            var m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return () -> {
                try {
                    return (ExecutorService) m.invoke(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * Runs {@code task(0..n-1)} on a fresh executor with at most {@code window} in flight.
     *
     * @param pool makes the executor
     * @param n how many tasks
     * @param window the most tasks submitted and not finished
     * @param task one blocking call; returns {@code false} when its result was wrong
     * @return microseconds per task
     * @throws InterruptedException if interrupted
     * @throws IllegalStateException if any task failed
     */
    static double run(Pool pool, int n, int window, IntPredicate task) throws InterruptedException {
        Semaphore inFlight = new Semaphore(window);
        AtomicLong failures = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService ex = pool.create();
        try {
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                int index = i;
                ex.execute(() -> {
                    try {
                        if (!task.test(index)) {
                            failures.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    } finally {
                        inFlight.release();
                    }
                });
            }
            inFlight.acquire(window); // every task has finished
        } finally {
            ex.shutdown();
        }
        long t1 = System.nanoTime();
        if (!ex.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("executor did not stop");
        }
        if (failures.get() != 0) {
            throw new IllegalStateException(failures.get() + " of " + n + " tasks failed");
        }
        return (t1 - t0) / 1e3 / n;
    }
}
