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

package org.ioaio.sample.jobs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.jspecify.annotations.Nullable;

/**
 * One background job and its progress.
 *
 * <p>States: {@code running} -> {@code succeeded} | {@code failed} | {@code cancelling} ->
 * {@code cancelled}. A job is {@code cancelling} from the moment it is asked to stop until every
 * engine request it made has finished and its cleanup (removing a partial copy) is done. Progress
 * counters are written on the poller thread and read by anyone.
 */
public final class Job {

    /** The states of a job. */
    public enum State {
        /** Working. */
        RUNNING,
        /** Asked to stop; waiting for its requests and cleanup. */
        CANCELLING,
        /** Finished its work. */
        SUCCEEDED,
        /** Stopped by an error; what it made was removed (copy) or stays removed (delete). */
        FAILED,
        /** Stopped by a cancel; what it made was removed (copy) or stays removed (delete). */
        CANCELLED
    }

    final long id;
    final String op;
    final String src;
    final @Nullable String dst;
    final int priority;
    final Instant started = Instant.now();

    /** Steps done in the current phase. */
    final AtomicLong done = new AtomicLong();
    /** Steps of the current phase (grows while a tree is scanned). */
    final AtomicLong total = new AtomicLong();
    /** Bytes copied so far. */
    final AtomicLong bytesDone = new AtomicLong();
    /** Bytes to copy. */
    final AtomicLong bytesTotal = new AtomicLong();
    /** Entries a copy left out (sockets, FIFOs, devices, symbolic links pointing outside the data directory). */
    final AtomicLong skipped = new AtomicLong();

    private volatile String phase = "starting";
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile @Nullable Usage result;

    // Guarded by this.
    private State state = State.RUNNING;
    private boolean cancelRequested;
    private @Nullable WorkGroup current;
    private @Nullable JobError error;
    private @Nullable Instant finished;

    Job(long id, String op, String src, @Nullable String dst, int priority) {
        this.id = id;
        this.op = op;
        this.src = src;
        this.dst = dst;
        this.priority = priority;
    }

    /** The job's id. */
    public long id() {
        return id;
    }

    /** The job's state. */
    public synchronized State state() {
        return state;
    }

    /** Whether the job has finished (succeeded, failed or cancelled). */
    public synchronized boolean isFinished() {
        return state != State.RUNNING && state != State.CANCELLING;
    }

    /** Starts a phase with a known (or growing) number of steps. */
    void phase(String name, long steps) {
        done.set(0);
        total.set(steps);
        phase = name;
    }

    void result(Usage usage) {
        result = usage;
    }

    /**
     * Runs a phase's group: cancelled at once if the job was already asked to stop.
     *
     * @param group the group about to run
     * @return the group
     */
    synchronized WorkGroup enter(WorkGroup group) {
        current = group;
        if (cancelRequested) {
            group.cancel();
        }
        return group;
    }

    /** Whether a cancel was asked for. */
    synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    /**
     * Asks the job to stop: its current group's requests are cancelled.
     *
     * @return {@code false} if it had already finished
     */
    synchronized boolean cancel() {
        if (state != State.RUNNING) {
            return state == State.CANCELLING;
        }
        cancelRequested = true;
        state = State.CANCELLING;
        WorkGroup g = current;
        if (g != null) {
            g.cancel();
        }
        return true;
    }

    /**
     * Ends the job, once every request it made is done.
     *
     * @param failure why it stopped, or {@code null}
     * @param root the data directory, to show paths relative to it
     */
    synchronized void finish(@Nullable Throwable failure, Path root) {
        if (finished != null) {
            return;
        }
        finished = Instant.now();
        current = null;
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cancelRequested) {
            state = State.CANCELLED;
        } else if (f == null) {
            state = State.SUCCEEDED;
        } else if (f instanceof CancellationException) {
            state = State.CANCELLED;
        } else {
            state = State.FAILED;
            error = JobError.of(f, root);
        }
        ended.complete(null);
    }

    /** Completes when the job has finished and none of its requests is left in the engine. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** A snapshot for the API. */
    public synchronized View view() {
        return new View(id, op, src, dst, state.name().toLowerCase(java.util.Locale.ROOT), phase, done.get(), total.get(),
                bytesDone.get(), bytesTotal.get(), skipped.get(), priority, result, error, started.toString(),
                finished == null ? null : finished.toString());
    }

    /**
     * A job as {@code GET /api/jobs/{id}} shows it.
     *
     * @param id the id
     * @param op du, copy, move or delete
     * @param src the path it works on, relative to the data directory
     * @param dst the destination of a copy or move
     * @param state running, cancelling, succeeded, failed or cancelled
     * @param phase what it is doing: scanning, copying, removing, moving, finishing...
     * @param done steps done in this phase
     * @param total steps of this phase (grows while scanning)
     * @param bytesDone bytes copied
     * @param bytesTotal bytes to copy
     * @param skipped entries a copy left out
     * @param priority the IO::AIO priority of its requests
     * @param result a du's result
     * @param error why it failed
     * @param started when it started (ISO-8601)
     * @param finished when it finished, or {@code null}
     */
    public record View(long id, String op, String src, @Nullable String dst, String state, String phase, long done,
            long total, long bytesDone, long bytesTotal, long skipped, int priority, @Nullable Usage result,
            @Nullable JobError error, String started, @Nullable String finished) {
    }

    /**
     * Why a job failed.
     *
     * @param errno the errno's name ({@code ENOSPC}), or {@code null} for an error without one
     * @param message what went wrong
     * @param operation the failing request ({@code copy}, {@code rename}...)
     * @param path the path it failed on, relative to the data directory
     */
    public record JobError(@Nullable String errno, String message, @Nullable String operation, @Nullable String path) {

        static JobError of(Throwable t, Path root) {
            if (t instanceof AioException e) {
                Errno errno = e.error();
                String path = e.path();
                String shown = null;
                if (path != null) {
                    try {
                        Path p = Path.of(path);
                        shown = !p.isAbsolute() ? path : p.startsWith(root) ? root.relativize(p).toString() : null;
                    } catch (RuntimeException invalid) {
                        shown = null;
                    }
                }
                return new JobError(errno == null ? Integer.toString(e.errno()) : errno.name(), Errno.describe(e.errno()),
                        e.operation(), shown);
            }
            return new JobError(null, String.valueOf(t.getMessage()), null, null);
        }
    }
}
