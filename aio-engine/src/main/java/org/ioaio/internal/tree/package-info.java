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
 * The composites: IO::AIO's requests made of several steps ({@code aio_scandir}, {@code
 * aio_rmtree}, {@code aio_copy}, {@code aio_move}, and the tree copy), each a group of ordinary
 * requests built as {@code AIO.pm} builds them, on the scheduler ({@code internal.sched}) and the
 * syscall layer ({@code internal.sys}).
 *
 * <ul>
 *   <li>{@link org.ioaio.internal.tree.Composites}: the entry points the engine calls.
 *   <li>{@code Composite}: the group and its steps (below); {@code Scandir}, {@code Rmtree},
 *       {@code CopyFile}, {@code CopyTree} and {@code Move} are its kinds.
 *   <li>{@code Walk}: the directories a tree operation holds open, by descriptor, with a bound on
 *       how many; {@code DirOrder}: the order {@code aio_readdirx} gives the entries.
 * </ul>
 *
 * <h2>A composite request</h2>
 *
 * <h3>What the caller sees</h3>
 *
 * <ul>
 *   <li>One request: it counts in {@code nreqs} until its last step is done, can join a group,
 *       and its callback (or future) runs once, when the group finishes: with the value set by
 *       {@code complete}, or with the errno, operation and path of the first step that failed
 *       (an {@code AioException} is the group's value, so {@code AioResult.failure()} names the
 *       failing syscall and path).
 *   <li>Priority: every step is queued with the priority the composite was created with, as
 *       {@code AIO.pm} passes {@code aioreq_pri} on to each sub-request. The calling thread's own
 *       {@code pri}/{@code timeout} settings are left as they were.
 *   <li>Cancel: cancelling the group cancels the steps in flight (a READY step is not executed;
 *       an executing one finishes its syscall) and no further step is started. Then, once no
 *       step is in flight, {@code cleanup} runs as a step that cannot be cancelled (a copy
 *       closes its files and removes its partial destination); only after that does the group
 *       finish, so a caller who sees the cancellation also sees the clean state. The same cleanup
 *       runs after a failure.
 * </ul>
 *
 * <h3>Threads</h3>
 *
 * A composite is built and begun on the submitting thread before any of its
 * requests is queued; afterwards every method runs on the polling thread, inside step callbacks
 * (which never run concurrently), so the fields need no lock. What a step's {@code Work} writes on
 * a worker is read by the next step or callback only after the step passed through the result
 * queue, whose lock publishes it.
 *
 * <h3>Queueing</h3>
 *
 * Steps are added to the group before they are queued, inside {@code Scheduler.deferring}, so no
 * step can finish before it is a member, and a step that cannot be queued because the engine
 * closed meanwhile ends as cancelled instead of being lost. The group itself is queued after its
 * first steps, exactly as {@code AioEngine.group(init, callback)} queues a group.
 */
package org.ioaio.internal.tree;
