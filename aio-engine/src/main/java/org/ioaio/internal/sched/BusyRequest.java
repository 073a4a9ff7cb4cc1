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

import java.util.concurrent.locks.LockSupport;
import org.ioaio.AioCallback;
import org.ioaio.Errno;

/**
 * {@code aio_busy}: occupies a worker for a time. Stops early, as cancelled, when the engine is
 * closed and its grace period has passed.
 */
public final class BusyRequest extends Request {

    private final long nanos;

    /**
     * A busy request.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
     * @param nanos how long to occupy the worker
     */
    public BusyRequest(Scheduler scheduler, int pri, AioCallback<?> callback, long nanos) {
        super(scheduler, pri, callback);
        this.nanos = nanos;
    }

    @Override
    protected void execute() {
        long end = System.nanoTime() + nanos;
        for (;;) {
            if (scheduler.aborting()) {
                cancelled = true;
                fail(Errno.ECANCELED.code());
                return;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                succeed(0, null);
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    @Override
    public Op op() {
        return Op.BUSY;
    }
}
