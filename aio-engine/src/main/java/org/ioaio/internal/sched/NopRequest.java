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

import org.ioaio.AioCallback;

/** {@code aio_nop}: does nothing, but still goes through a worker thread. */
public final class NopRequest extends Request {

    /**
     * A nop.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
     */
    public NopRequest(Scheduler scheduler, int pri, AioCallback<?> callback) {
        super(scheduler, pri, callback);
    }

    @Override
    protected void execute() {
        succeed(0, null);
    }

    @Override
    protected boolean batchable() {
        return true;
    }

    @Override
    protected boolean helpable() {
        return true;
    }

    @Override
    public Op op() {
        return Op.NOP;
    }
}
