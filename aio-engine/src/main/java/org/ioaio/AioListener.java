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

/**
 * Observes requests for metrics (set with {@link AioEngine.Builder#listener(AioListener)}). Called
 * on worker threads (and the deadline thread), so implementations must be thread-safe and quick;
 * an exception thrown here is logged and ignored.
 */
public interface AioListener {

    /**
     * A request finished executing on a worker.
     *
     * @param operation the request's operation name ({@code "stat"}, {@code "nop"}...): a bounded set
     * @param waitNanos how long it was READY before a worker took it
     * @param executionNanos how long it executed
     * @param errno 0 on success, else the POSIX error number
     */
    void executed(String operation, long waitNanos, long executionNanos, int errno);

    /**
     * A request left the queue without executing: cancelled, or its deadline passed.
     *
     * @param operation the request's operation name
     * @param waitNanos how long it was READY
     * @param timedOut {@code true} for a deadline, {@code false} for a cancel
     */
    default void skipped(String operation, long waitNanos, boolean timedOut) {}
}
