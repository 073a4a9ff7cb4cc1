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

import java.util.concurrent.Callable;
import org.ioaio.AioCallback;
import org.ioaio.AioException;
import org.ioaio.Errno;

/**
 * libeio's {@code eio_custom}: runs a caller's task on a worker thread. The task's value becomes
 * the request's value; an exception it throws becomes the failure: an {@link AioException} keeps
 * its errno, an {@link InterruptedException} is EINTR, anything else EIO.
 *
 * @param <T> the task's value type
 */
public final class CustomRequest<T> extends Request {

    private final Callable<T> task;

    /**
     * A custom request.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
         * @param task the task
     */
    public CustomRequest(Scheduler scheduler, int pri, AioCallback<?> callback, Callable<T> task) {
        super(scheduler, pri, callback);
        this.task = task;
    }

    @Override
    protected void execute() {
        try {
            succeed(0, task.call());
        } catch (AioException e) {
            fail(e.errno(), e);
        } catch (InterruptedException e) {
            Thread.interrupted();
            fail(Errno.EINTR.code(), e);
        } catch (Exception e) {
            fail(Errno.EIO.code(), e);
        }
    }

    @Override
    public Op op() {
        return Op.CUSTOM;
    }
}
