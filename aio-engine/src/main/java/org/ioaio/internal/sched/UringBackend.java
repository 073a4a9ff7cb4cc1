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

package org.ioaio.internal.sched;

/**
 * A submission/completion ring (io_uring on Linux) that the {@link Scheduler}'s ring thread drives
 * for the requests routed to it. Only that one thread calls these methods, except {@link #wake()},
 * which any thread may call, and {@link #accepts}, which submitters call.
 *
 * <p>A <em>slot</em> ({@code 0..depth()-1}) names one operation in flight; the ring thread hands out
 * free slots and gets each back exactly once: from {@link #complete}, or from {@link #abandon} for
 * an entry the kernel never took. Memory an operation uses (a bounce buffer, a pinned file
 * descriptor) belongs to its slot until then, so nothing is reused while the kernel may still touch
 * it.
 */
public interface UringBackend {

    /**
     * How many operations may be in flight at once.
     *
     * @return the number of slots
     */
    int depth();

    /**
     * Whether a request with this call can go through the ring at all (decided at submission;
     * anything else runs on the workers).
     *
     * @param call the request's call ({@code SysRequest.Call} or {@code SysRequest.StatusCall})
     * @return {@code true} if {@link #prepare} can encode it
     */
    boolean accepts(Object call);

    /**
     * Encodes {@code r}'s operation as a submission entry tagged with {@code slot}, to be submitted
     * by the next {@link #enter}.
     *
     * @param r a request whose call {@link #accepts} took
     * @param slot a free slot
     * @return 0 when queued, or the errno the request fails with (nothing queued, nothing held;
     *     for example EBADF for a closed file)
     */
    int prepare(Request r, int slot);

    /**
     * Queues a cancel (IORING_OP_ASYNC_CANCEL) of the operation in {@code slot}; its completion
     * then arrives early with ECANCELED, or normally if it was too late.
     *
     * @param slot a slot in flight
     */
    void prepareCancel(int slot);

    /**
     * Submits every queued entry and collects completions.
     *
     * @param wait whether to block until at least one completion arrives or {@link #wake()} is called
     * @param slots receives the slots completed
     * @param results receives each one's result: 0 or more, or minus an errno
     * @return how many completions were written (at most {@code slots.length}), or minus an errno
     *     when the kernel refused the submission for good; {@link #unsubmitted} then names the
     *     entries it did not take
     */
    int enter(boolean wait, int[] slots, int[] results);

    /**
     * After {@link #enter} failed: withdraws the entries the kernel did not take and names their
     * slots (each must then be {@link #abandon}ed).
     *
     * @param slots receives the slots
     * @return how many
     */
    int unsubmitted(int[] slots);

    /**
     * Writes the result of the operation in {@code slot} into {@code r} (status, errno, value,
     * buffer position) and releases what the slot held.
     *
     * @param r the request in the slot
     * @param slot the slot
     * @param result the completion's result
     */
    void complete(Request r, int slot, int result);

    /**
     * Releases what {@code slot} held for an entry the kernel never took; {@code r} is untouched
     * and can run elsewhere.
     *
     * @param r the request in the slot
     * @param slot the slot
     */
    void abandon(Request r, int slot);

    /** {@link #tryNow}'s answer when the operation would block: it was not performed. */
    int WOULD_BLOCK = Integer.MIN_VALUE;

    /**
     * Whether {@link #tryNow} can attempt a request with this call (a read, for example, which
     * succeeds at once when its data is cached).
     *
     * @param call the request's call
     * @return {@code true} if worth trying
     */
    boolean canTryNow(Object call);

    /**
     * Performs {@code r}'s operation on the calling thread if it can complete without blocking
     * (a read of cached data: {@code preadv2} with {@code RWF_NOWAIT}), writing its result into
     * {@code r} as {@link #complete} would. Any thread may call it, concurrently with the ring thread.
     *
     * @param r a request whose call {@link #canTryNow} took
     * @return the result written into {@code r}, or {@link #WOULD_BLOCK} when nothing was done
     *     and {@code r} is untouched
     */
    int tryNow(Request r);

    /** Makes a blocked {@link #enter}{@code (true, ...)} return soon; any thread may call it. */
    void wake();

    /** Releases the ring; called by the ring thread with nothing in flight. */
    void close();
}
