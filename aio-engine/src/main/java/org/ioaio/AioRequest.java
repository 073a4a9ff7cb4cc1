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
 * A request in flight (IO::AIO::REQ): returned by every request function of {@link AioEngine}.
 *
 * <p>A request moves through {@link State#READY}, {@link State#EXECUTE}, {@link State#PENDING},
 * {@link State#RESULT} and {@link State#DONE}, in that order (a cancelled or timed-out request
 * may skip {@code EXECUTE}).
 */
public interface AioRequest {

    /** The states of IO::AIO's "REQUEST ANATOMY AND LIFETIME", in order. */
    enum State {
        /** Queued, waiting for a worker thread. */
        READY,
        /** A worker is executing it (blocking in the syscall). */
        EXECUTE,
        /** Executed; waiting for {@link AioEngine#pollCb()} to process the result. */
        PENDING,
        /** {@code pollCb} is processing the result (running the callback). */
        RESULT,
        /** Finished; holds no resources. */
        DONE
    }

    /**
     * Cancels the request if possible: a request still {@code READY} is not executed, and the
     * callback is never called. A request already executing finishes its syscall. A future of a
     * cancelled request fails with {@link java.util.concurrent.CancellationException}. Cancelling a
     * group cancels its members. Idempotent; has no effect once the request is {@code DONE}.
     */
    void cancel();

    /** {@code true} once {@link #cancel()} was called (directly or through a group) before it was done. */
    boolean isCancelled();

    /** {@code true} when the request's deadline passed while it was still {@code READY}, or while a request that waits (a record lock) waited. */
    boolean isTimedOut();

    /** The current state. */
    State state();

    /** The priority it was queued with, -4 (lowest) to 4 (highest). */
    int priority();

    /** The operation's name as IO::AIO spells it without {@code aio_}: {@code "nop"}, {@code "stat"}... */
    String operation();
}
