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
 * The operations: one request per IO::AIO call that is a single syscall (or a short fixed
 * sequence), queued on the scheduler ({@code internal.sched}) and run on a worker against the
 * syscall layer ({@code internal.sys}, {@code internal.linux}).
 *
 * <ul>
 *   <li>{@link org.ioaio.internal.op.SysRequest}: the request that runs one call of the syscall
 *       layer and turns its result or errno into IO::AIO's value and status.
 *   <li>The per-call records ({@code OpenCall}, {@code IoCall}, {@code StatCall}...): a call's
 *       arguments as data, so that the io_uring lane ({@code internal.linux.UringLane}) can encode
 *       the same request as a ring entry while a worker would run the record's call.
 *   <li>{@link org.ioaio.internal.op.LockRequest}: a record lock whose wait a cancel or a deadline
 *       ends.
 * </ul>
 *
 * <h2>Record locks as requests</h2>
 *
 * <p><b>Why it polls.</b> A thread blocked in {@code fcntl(F_SETLKW)} leaves the kernel only when
 * the lock is granted or a signal interrupts it, and the JVM offers no safe way to signal one of
 * its threads with a handler of ours. So the waiting forms never block in the kernel: the worker
 * tries the non-waiting command, and while the range is held by someone else (EAGAIN or EACCES)
 * it sleeps on the request's monitor for a back-off that doubles from
 * {@code FIRST_BACKOFF_MS} to {@code MAX_BACKOFF_MS} (1 to 20 ms), then tries again. A cancel wakes it at once, a
 * deadline is an upper bound of the sleep, and the engine's close is seen within one back-off
 * (a lock queued before the close is still tried once, as the close drains queued requests; only
 * the wait ends): the request then ends with ECANCELED or ETIMEDOUT, its worker free, the lock not taken.
 *
 * <p>The price, documented in the README: no kernel queueing (a waiter that polls can lose the
 * race to one that blocks in {@code F_SETLKW}, so a lock may be granted up to one back-off after
 * it became free) and no deadlock detection (EDEADLK) for process locks: the deadline is the
 * answer to a deadlock.
 *
 * <p><b>Nothing leaks.</b> A lock taken by a request that was cancelled meanwhile (after the
 * kernel granted it, before or after the worker finished) is released again: by the worker when it
 * sees the cancel right away, by the poller ({@code deliverCancelled}) otherwise.

 */
package org.ioaio.internal.op;
