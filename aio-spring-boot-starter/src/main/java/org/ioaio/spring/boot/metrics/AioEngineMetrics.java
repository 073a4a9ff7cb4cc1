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

package org.ioaio.spring.boot.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ioaio.AioEngine;

/**
 * The engine's counters as meters, read live (like Micrometer's {@code ExecutorServiceMetrics}):
 *
 * <ul>
 *   <li>{@code aio.requests.outstanding} (gauge): requests whose callback has not run ({@code nreqs});
 *   <li>{@code aio.requests.ready} (gauge, tag {@code priority} -4..4): requests waiting for a worker;
 *   <li>{@code aio.requests.pending} (gauge): requests executed, waiting for the poller ({@code npending});
 *   <li>{@code aio.threads} (gauge, tag {@code state} busy/idle): worker threads;
 *   <li>{@code aio.requests.cancelled}, {@code aio.requests.timeouts} (function counters): requests
 *       that finished cancelled, and whose deadline passed while queued;
 *   <li>{@code aio.callbacks.failed} (function counter): callbacks and feeders that threw.
 * </ul>
 * Tags are bounded: never a path. The auto-configured binder covers every {@link AioEngine} bean,
 * each meter tagged {@value #ENGINE_TAG} with the engine's bean name.
 */
public class AioEngineMetrics implements MeterBinder {

    /** The priorities of the {@code priority} tag, in {@link AioEngine#nreadyByPriority()} order. */
    private static final int MIN_PRIORITY = -4;

    /** The tag naming the engine: its bean name. */
    public static final String ENGINE_TAG = "aio.engine";

    private final Map<AioEngine, Iterable<Tag>> engines;

    /**
     * Meters for {@code engine}.
     *
     * @param engine the engine
     */
    public AioEngineMetrics(AioEngine engine) {
        this(engine, Tags.empty());
    }

    /**
     * Meters for {@code engine}, each with {@code tags} added (to tell several engines apart).
     *
     * @param engine the engine
     * @param tags extra tags, bounded
     */
    public AioEngineMetrics(AioEngine engine, Iterable<Tag> tags) {
        this.engines = Map.of(engine, tags);
    }

    /**
     * Meters for each of {@code engines}, tagged {@value #ENGINE_TAG} with its name.
     *
     * @param engines the engines by name (their bean names)
     */
    public AioEngineMetrics(Map<String, AioEngine> engines) {
        Map<AioEngine, Iterable<Tag>> all = new LinkedHashMap<>();
        engines.forEach((name, engine) -> all.put(engine, Tags.of(ENGINE_TAG, name)));
        this.engines = all;
    }

    /** Registers the gauges and counters. */
    @Override
    public void bindTo(MeterRegistry registry) {
        engines.forEach((engine, tags) -> bind(registry, engine, tags));
    }

    private static void bind(MeterRegistry registry, AioEngine e, Iterable<Tag> tags) {
        Gauge.builder("aio.requests.outstanding", e, AioEngine::nreqs)
                .description("Requests submitted whose callback has not run yet (nreqs)")
                .baseUnit("requests").tags(tags).register(registry);
        for (int i = 0; i < 9; i++) {
            final int index = i;
            Gauge.builder("aio.requests.ready", e, en -> en.nreadyByPriority()[index])
                    .description("Requests waiting for a worker thread, by priority (nready)")
                    .baseUnit("requests").tags(tags).tag("priority", Integer.toString(MIN_PRIORITY + i))
                    .register(registry);
        }
        Gauge.builder("aio.requests.pending", e, AioEngine::npending)
                .description("Requests executed and waiting for the poller to process their result (npending)")
                .baseUnit("requests").tags(tags).register(registry);
        Gauge.builder("aio.requests.inflight.iouring", e, AioEngine::ioUringInflight)
                .description("Requests submitted to io_uring whose completion has not arrived yet")
                .baseUnit("requests").tags(tags).register(registry);
        Gauge.builder("aio.threads", e, en -> Math.max(0, en.nthreads() - en.nidle()))
                .description("Worker threads, busy executing a request or idle")
                .baseUnit("threads").tags(tags).tag("state", "busy").register(registry);
        Gauge.builder("aio.threads", e, AioEngine::nidle)
                .description("Worker threads, busy executing a request or idle")
                .baseUnit("threads").tags(tags).tag("state", "idle").register(registry);
        FunctionCounter.builder("aio.requests.cancelled", e, AioEngine::cancellations)
                .description("Requests that finished cancelled")
                .baseUnit("requests").tags(tags).register(registry);
        FunctionCounter.builder("aio.requests.timeouts", e, AioEngine::timeouts)
                .description("Requests whose deadline passed while they were queued (ETIMEDOUT)")
                .baseUnit("requests").tags(tags).register(registry);
        FunctionCounter.builder("aio.callbacks.failed", e, AioEngine::callbackFailures)
                .description("Callbacks and feeders that threw (each was logged; other results were still delivered)")
                .baseUnit("callbacks").tags(tags).register(registry);
    }
}
