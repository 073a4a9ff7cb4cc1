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

import java.time.Duration;
import org.ioaio.AioEngine;
import org.springframework.context.SmartLifecycle;

/**
 * Ties an {@link AioEngine} to the application context: running once the context has started;
 * on close it stops accepting requests, lets queued ones drain within the grace period, then
 * cancels the rest ({@link AioEngine#close(Duration)}).
 *
 * <p>It runs in {@link #PHASE}, below the web server's and the default phase, so the engine stops
 * after everything that may still submit requests (the web server's graceful shutdown, message
 * listeners, executors, plain {@code Lifecycle} beans). An engine cannot be restarted: stopping it
 * closes it for good.
 */
public class AioEngineLifecycle implements SmartLifecycle {

    /** The phase: the engine starts before and stops after every lifecycle bean of phase 0 and above. */
    public static final int PHASE = -1024;

    private static final System.Logger LOG = System.getLogger(AioEngineLifecycle.class.getName());

    private final AioEngine engine;
    private final Duration gracePeriod;
    private volatile boolean running;

    /**
     * A lifecycle for {@code engine}.
     *
     * @param engine the engine to close with the context
     * @param gracePeriod how long queued requests may drain on close
     */
    public AioEngineLifecycle(AioEngine engine, Duration gracePeriod) {
        this.engine = engine;
        this.gracePeriod = gracePeriod;
    }

    /** Marks the engine running; fails if it was already closed. */
    @Override
    public void start() {
        if (engine.isClosed()) {
            throw new IllegalStateException("The AioEngine is closed: an engine cannot be restarted after the context stopped it");
        }
        running = true;
    }

    /** Closes the engine: stop accepting, drain within the grace period, cancel the rest. */
    @Override
    public void stop() {
        running = false;
        boolean clean = engine.close(gracePeriod);
        if (!clean) {
            LOG.log(System.Logger.Level.WARNING, "aio: requests were still in flight after the grace period of "
                    + gracePeriod + " (aio.shutdown.grace-period); the queued ones were cancelled");
        }
    }

    /** {@code true} between start and stop, while the engine is open. */
    @Override
    public boolean isRunning() {
        return running && !engine.isClosed();
    }

    /**
     * Not paused with its context (Spring Framework 7 pauses cached test contexts by stopping
     * them): closing the engine cannot be undone, so a paused context could never resume.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** {@link #PHASE}. */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The grace period used on close. */
    public Duration getGracePeriod() {
        return gracePeriod;
    }
}
