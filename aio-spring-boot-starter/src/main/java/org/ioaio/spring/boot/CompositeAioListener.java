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

package org.ioaio.spring.boot;

import java.util.List;
import org.ioaio.AioListener;

/** Forwards each event to several listeners, in order; one that throws does not stop the others. */
final class CompositeAioListener implements AioListener {

    private static final System.Logger LOG = System.getLogger(CompositeAioListener.class.getName());

    private final AioListener[] listeners;

    CompositeAioListener(List<AioListener> listeners) {
        this.listeners = listeners.toArray(new AioListener[0]);
    }

    @Override
    public void executed(String operation, long waitNanos, long executionNanos, int errno) {
        for (AioListener l : listeners) {
            try {
                l.executed(operation, waitNanos, executionNanos, errno);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "aio: listener " + l + " threw", e);
            }
        }
    }

    @Override
    public void skipped(String operation, long waitNanos, boolean timedOut) {
        for (AioListener l : listeners) {
            try {
                l.skipped(operation, waitNanos, timedOut);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "aio: listener " + l + " threw", e);
            }
        }
    }
}
