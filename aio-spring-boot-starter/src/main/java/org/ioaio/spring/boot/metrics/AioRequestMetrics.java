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

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioListener;
import org.ioaio.Errno;

/**
 * The per-request timers, fed by the engine as an {@link AioListener} (on worker threads):
 *
 * <ul>
 *   <li>{@code aio.request.wait} (tag {@code op}): how long a request was READY before a worker took it;
 *   <li>{@code aio.request.execution} (tags {@code op}, {@code outcome}): how long it executed;
 *       {@code outcome} is {@code success} or the errno's name ({@code ENOENT}).
 * </ul>
 * {@code op} is the operation's name ({@code nop}, {@code stat}...), a fixed set; {@code outcome}
 * is one of the {@link Errno} names or {@code UNKNOWN}: tags never hold a path. Events before the
 * binder is bound to a registry are not recorded.
 */
public class AioRequestMetrics implements AioListener, MeterBinder {

    /** The {@code outcome} of a request that succeeded. */
    public static final String SUCCESS = "success";

    /** The {@code outcome} of an errno that {@link Errno} does not name. */
    public static final String UNKNOWN = "UNKNOWN";

    private final Iterable<Tag> tags;
    private final List<Timers> registries = new CopyOnWriteArrayList<>();

    /** Timers without extra tags. */
    public AioRequestMetrics() {
        this(Tags.empty());
    }

    /**
     * Timers with {@code tags} added (to tell several engines apart).
     *
     * @param tags extra tags, bounded
     */
    public AioRequestMetrics(Iterable<Tag> tags) {
        this.tags = tags;
    }

    /** Starts recording into {@code registry}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        for (Timers t : registries) {
            if (t.registry == registry) {
                return;
            }
        }
        registries.add(new Timers(registry, tags));
    }

    /** Records the wait and the execution of a request. */
    @Override
    public void executed(String operation, long waitNanos, long executionNanos, int errno) {
        for (Timers t : registries) {
            t.waitTimer(operation).record(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            t.executionTimer(operation, errno).record(Math.max(0, executionNanos), TimeUnit.NANOSECONDS);
        }
    }

    /** The {@code outcome} tag of an errno. */
    static String outcome(int errno) {
        if (errno == 0) {
            return SUCCESS;
        }
        Errno e = Errno.of(errno);
        return e == null ? UNKNOWN : e.name();
    }

    /** The timers of one registry, cached by operation (and errno): looking one up allocates nothing. */
    private static final class Timers {

        final MeterRegistry registry;
        final Iterable<Tag> tags;
        final Map<String, Timer> wait = new ConcurrentHashMap<>();
        final Map<String, Map<Integer, Timer>> execution = new ConcurrentHashMap<>();

        Timers(MeterRegistry registry, Iterable<Tag> tags) {
            this.registry = registry;
            this.tags = tags;
        }

        Timer waitTimer(String op) {
            Timer t = wait.get(op);
            if (t == null) {
                t = wait.computeIfAbsent(op, o -> Timer.builder("aio.request.wait")
                        .description("Time a request waited for a worker thread (READY)")
                        .tags(tags).tag("op", o).register(registry));
            }
            return t;
        }

        Timer executionTimer(String op, int errno) {
            Map<Integer, Timer> byErrno = execution.get(op);
            if (byErrno == null) {
                byErrno = execution.computeIfAbsent(op, o -> new ConcurrentHashMap<>());
            }
            Timer t = byErrno.get(errno);
            if (t == null) {
                t = byErrno.computeIfAbsent(errno, e -> Timer.builder("aio.request.execution")
                        .description("Time a request executed on a worker thread, by operation and outcome")
                        .tags(tags).tag("op", op).tag("outcome", outcome(e)).register(registry));
            }
            return t;
        }
    }
}
