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

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.ioaio.Errno;

/**
 * What each worker thread of an engine built with {@code batchWorkers(true)} runs as it starts:
 * puts the thread under {@code SCHED_BATCH} ({@link Platform#batchCurrentThread()}). The first
 * refusal is remembered ({@link #active()} turns {@code false}) and logged once at WARNING; the
 * worker then runs under the default policy.
 */
public final class BatchWorkers implements Runnable {

    private static final System.Logger LOG = System.getLogger("org.ioaio.AioEngine");

    /** The errno of the first refusal; 0 while none. */
    private final AtomicInteger refused = new AtomicInteger();

    /** What sets the calling thread's policy: 0 or an errno. */
    private final IntSupplier batch;

    BatchWorkers(IntSupplier batch) {
        this.batch = batch;
    }

    /**
     * The hook, where the native layer can set the policy.
     *
     * @return the hook, or {@code null} without the native layer
     */
    public static BatchWorkers ifAvailable() {
        return Platform.nativeLayer().available() ? new BatchWorkers(Platform::batchCurrentThread) : null;
    }

    @Override
    public void run() {
        int errno;
        RuntimeException failure = null;
        try {
            errno = batch.getAsInt();
        } catch (RuntimeException e) {
            errno = Errno.EIO.code();
            failure = e;
        }
        if (errno != 0 && refused.compareAndSet(0, errno)) {
            LOG.log(Level.WARNING, "aio: worker threads keep the default scheduling policy: sched_setscheduler(SCHED_BATCH) failed with "
                    + Errno.describe(errno), failure);
        }
    }

    /**
     * Whether every worker started so far runs under {@code SCHED_BATCH}.
     *
     * @return {@code false} once one was refused
     */
    public boolean active() {
        return refused.get() == 0;
    }
}
