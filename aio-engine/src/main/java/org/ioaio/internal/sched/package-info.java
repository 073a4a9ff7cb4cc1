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

/**
 * The scheduler: libeio's {@code etp} (ready queues, worker pool, result queue) with an io_uring
 * lane, and the requests and groups it links; not API, may change without notice.
 *
 * <h2>Shape</h2>
 *
 * <ul>
 *   <li>{@link org.ioaio.internal.sched.ReadyQueues}: nine FIFO queues (priority -4..4, intrusive
 *       doubly linked lists of {@link org.ioaio.internal.sched.Request}) per lane: the workers'
 *       lane and the io_uring lane; {@code nready} counts both. Requests for the workers are
 *       submitted without a lock onto an inbox (a lock-free stack), which whoever takes from the
 *       workers' lane moves into it first; a submission takes {@code reqLock} only to wake or
 *       start a worker.
 *   <li>{@link org.ioaio.internal.sched.WorkerPool}: platform threads that take the first request
 *       of the workers' highest non-empty queue, execute it and append it to the result queue.
 *       Started on demand (a submission that finds more ready requests than idle threads starts
 *       one while fewer than {@code wanted} run; it signals an idle worker only while some idle
 *       worker is not already being woken). A thread that finds nothing while requests are in
 *       flight first looks for a new one for up to 20 µs, yielding the processor between looks
 *       (the poller usually submits more as it delivers results; one such thread per processor
 *       at most), then waits: without a timeout while at
 *       most {@code maxIdle} idle, otherwise for {@code idleTimeout}; lowering {@code wanted} asks
 *       threads to quit (libeio's quit request at top priority) and waits until they have.
 *       Each thread first runs the engine's start hook ({@code Scheduler.onWorkerStart}: the
 *       engine puts it under {@code SCHED_BATCH} there, so that its wake-ups never preempt the
 *       poller).
 *       A worker takes cheap requests (those that run no user code and wait for nothing but
 *       this machine's I/O: not an open or a read that may wait for a FIFO's other end, a sync, a
 *       lock; {@code Request.batchable}) a batch of one priority under one lock when many wait.
 *       A thread in {@code flush} with no result to deliver executes helpable requests itself
 *       (cheap ones whose calls an interrupt of that thread also leaves alone: every such call on
 *       the native layer, the calls that only name files on the portable one), likewise a
 *       batch; it never waits there for another party while results are due.
 *   <li>{@link org.ioaio.internal.sched.ResultQueue}: nine intrusive singly linked FIFOs of executed
 *       requests, one per priority, and the poller, whichever thread calls {@code pollCb}, that
 *       runs their callbacks, the highest priority first, bounded by {@code maxPollReqs} and {@code
 *       maxPollTime}; poll functions block while {@code
 *       nreqs >= maxOutstanding}; a pipe makes the poll channel readable while results wait.
 *   <li>{@link org.ioaio.internal.sched.Op}: every kind of request, with its IO::AIO name (what
 *       errors, listeners and metrics report), how it executes, the io_uring operation it can
 *       become and whether it names paths.
 *   <li>{@link org.ioaio.internal.sched.UringDriver}: with a {@link
 *       org.ioaio.internal.sched.UringBackend} attached (io_uring
 *       on Linux), requests built for it queue in the io_uring lane, which one ring thread drains in
 *       priority order into the ring, as many as it has free slots, and whose completions it
 *       appends to the result queue, a round's results at once; with the lane empty while
 *       requests are outstanding, it looks for more for up to 20 µs, yielding, before it parks
 *       (as an idle worker does). A request the ring can try
 *       without blocking (a read of at most a page) the ring thread first tries itself, and queues
 *       in the kernel only if its data is not cached (then the next ones untried for a while). A
 *       thread in {@code flush} with nothing to deliver may likewise execute ring requests
 *       itself, a batch of one priority under one lock (at most half of the lane); at the first
 *       that would block, it and the rest go back for the ring, in order, and the flushing
 *       thread leaves the lane alone for a while. If the kernel refuses a submission
 *       for good, what it did not take, what is queued and what comes later runs on the workers.
 *   <li>{@link org.ioaio.internal.sched.Scheduler}: the facade; submission (with the calling
 *       thread's priority, deadline and the requests held back inside a group's init or feeder),
 *       the counters, close, and {@code checkInvariants}, which checks each part under its lock.
 * </ul>
 *
 * Requests allocate nothing beyond themselves on the way through, so the cost of one request does
 * not depend on how many are queued. The request lifecycle (HELD, READY, EXECUTE, PENDING, RESULT,
 * DONE, and SUBMITTED while in the inbox) is drawn at the top of {@link
 * org.ioaio.internal.sched.Request}; groups at the top of
 * {@link org.ioaio.internal.sched.Group}.
 *
 * <h2>Locks and what they guard</h2>
 *
 * <ul>
 *   <li>No lock: the inbox is pushed with a compare-and-set; only a {@code reqLock} holder takes
 *       from it, the whole inbox at once. {@code submitted} is updated atomically.
 *   <li>{@code reqLock} ({@code ReadyQueues.lock}): both lanes and the READY state of every
 *       request, {@code nready}, taking from the inbox; the facade's {@code closed}; the pool's
 *       thread counts ({@code started}, {@code idle}, {@code waking} and {@code wanted}, volatile
 *       so that a submission can tell without the lock whether it must wake a worker; {@code
 *       quits}, {@code looking}); the io_uring
 *       lane's flags (parked, broken, stop, abort, cancels, deferred wake-ups, help back-off) and
 *       the ring thread's start and exit. Workers wait on {@code reqWait}, {@code maxParallel} and
 *       close on {@code threadsChanged}, the ring thread on {@code ringWait}.
 *   <li>{@code resLock} ({@code ResultQueue.resLock}): the result queues and their mask (volatile:
 *       the poller reads it between callbacks to see a higher priority), {@code pushed}, the poll
 *       pipe and its signalled flag, and the number of poll waiters. Poll functions wait on
 *       {@code resWait}.
 *   <li>{@code pollLock} ({@code ResultQueue.pollLock}): held by the thread running callbacks;
 *       guards the poller's private batch, {@code finished} and {@code popped}. Callbacks never run
 *       concurrently; re-entering a poll function from a callback is refused.
 *   <li>The ring thread owns, without a lock, the ring and its in-flight table (slot to request).
 *   <li>A group's monitor: its members and feeder.
 *   <li>The deadline timer's own lock: its heap; at expiry it re-checks READY under {@code reqLock}.
 * </ul>
 *
 * Lock order: group monitor, then {@code reqLock} or {@code resLock}; {@code pollLock} is taken
 * before any of them and is never requested while holding one. {@code reqLock} and {@code resLock}
 * are never held together, except by {@code checkInvariants} (reqLock, then resLock), which is safe
 * because nothing takes reqLock while holding resLock. The per-request paths that take these
 * locks (a worker's take and result, the poller's batch, the flushing thread's help; a submission
 * only to wake a worker) take them with {@code Scheduler.lockHot} (spin, yield, then queue), which
 * avoids lock convoys when there are more runnable threads than processors.
 *
 * <h2>Counters</h2>
 *
 * {@code nreqs = submitted - finished} (READY, EXECUTE, PENDING and delayed groups), {@code npending
 * = pushed - popped}, {@code nready} (the lanes and the inbox), {@code nthreads = started}. Each
 * is written under its lock or atomically, and is volatile, so monitoring reads need no lock; a
 * reader sees a value that was true at some
 * instant of each counter (the differences may be momentarily off by in-flight requests).
 */
package org.ioaio.internal.sched;
