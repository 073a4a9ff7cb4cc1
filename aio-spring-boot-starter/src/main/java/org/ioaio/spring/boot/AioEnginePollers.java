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
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ioaio.AioEngine;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * With several {@link AioEngine} beans: a poller for each engine that no {@link AioPoller} bean
 * polls, so that every engine's callbacks and futures complete (the {@code aioPoller} bean polls
 * only the primary engine). Each poller thread is named {@code <aio.thread-name-prefix>-<bean
 * name>-poller}. The engines themselves are closed as beans are (their {@code close()}), after
 * these pollers have stopped.
 */
public class AioEnginePollers implements SmartLifecycle {

    /** The pollers of the engines no poller bean polls; made at construction, started with the context. */
    private final Map<AioEngine, AioPoller> pollers = new IdentityHashMap<>();
    private volatile boolean running;

    /**
     * Pollers for those of {@code engines} that no poller bean polls.
     *
     * @param engines the engine beans by name
     * @param pollerBeans the poller beans
     * @param threadNamePrefix the prefix of the poller threads' names
     * @param stopTimeout how long stopping waits for a callback still running on a poller
     */
    public AioEnginePollers(Map<String, AioEngine> engines, ObjectProvider<AioPoller> pollerBeans, String threadNamePrefix,
            Duration stopTimeout) {
        List<AioEngine> polled = new ArrayList<>();
        pollerBeans.orderedStream().forEach(p -> polled.add(p.engine()));
        engines.forEach((name, engine) -> {
            if (polled.stream().noneMatch(e -> e == engine) && !pollers.containsKey(engine)) {
                pollers.put(engine, new AioPoller(engine, threadNamePrefix + "-" + name + "-poller", stopTimeout));
            }
        });
    }

    /** Starts the pollers. */
    @Override
    public synchronized void start() {
        pollers.values().forEach(AioPoller::start);
        running = true;
    }

    /** Stops the pollers. */
    @Override
    public synchronized void stop() {
        running = false;
        pollers.values().forEach(AioPoller::stop);
    }

    /** {@code true} between start and stop. */
    @Override
    public boolean isRunning() {
        return running;
    }

    /** Not paused with its context: the engines it polls are closed when the context stops. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** As {@link AioPoller}: {@link AioEngineLifecycle#PHASE} + 1. */
    @Override
    public int getPhase() {
        return AioEngineLifecycle.PHASE + 1;
    }

    /**
     * The poller this bean started for {@code engine}, if any.
     *
     * @param engine an engine
     * @return its poller, or {@code null}
     */
    public synchronized @Nullable AioPoller pollerOf(AioEngine engine) {
        return pollers.get(engine);
    }

    @Override
    public synchronized String toString() {
        return "AioEnginePollers[" + pollers.values() + "]";
    }
}
