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

package org.ioaio.spring.boot.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioPoller;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code aio} Actuator endpoint. Read ({@code GET /actuator/aio}): the engine's settings, queue
 * depth by priority, age of the oldest waiting request, threads, counters and the poller. Write
 * ({@code POST /actuator/aio} with {@code {"minParallel": n}} and/or {@code {"maxParallel": n}}):
 * the threads, meaning what {@code aio.min-parallel} and {@code aio.max-parallel} mean. Lowering
 * the maximum waits until the threads above it have finished the request they are executing.
 *
 * <p>The write operation is off by default ({@link Access#READ_ONLY}): turn it on with {@code
 * management.endpoint.aio.access=unrestricted}. {@code maxParallel} 0 (every request waits, none
 * runs) is refused unless {@code management.endpoint.aio.allow-zero-max-parallel=true}.
 *
 * <p>{@code settings.engine} names the engine (its bean name); with several engines, the endpoint
 * is the primary one's and {@code GET /actuator/aio/{name}} reads any engine bean by name.
 */
@Endpoint(id = "aio", defaultAccess = Access.READ_ONLY)
public class AioEndpoint {

    /** The property that lets the write operation set {@code maxParallel} 0. */
    public static final String ALLOW_ZERO_MAX_PARALLEL = "management.endpoint.aio.allow-zero-max-parallel";

    private final AioEngine engine;
    private final Map<String, Object> configuration;
    private final @Nullable AioPoller poller;
    private final boolean allowZeroMaxParallel;
    private final Function<String, @Nullable AioEndpoint> byName;

    /**
     * An endpoint for {@code engine}.
     *
     * @param engine the engine
     * @param configuration what the engine does not report itself (backend, root, grace period), shown under settings
     * @param poller the poller, or {@code null} when the application polls the engine itself
     */
    public AioEndpoint(AioEngine engine, Map<String, Object> configuration, @Nullable AioPoller poller) {
        this(engine, configuration, poller, false);
    }

    /**
     * An endpoint for {@code engine}.
     *
     * @param engine the engine
     * @param configuration what the engine does not report itself (backend, root, grace period), shown under settings
     * @param poller the poller, or {@code null} when the application polls the engine itself
     * @param allowZeroMaxParallel whether the write operation may set {@code maxParallel} 0
     */
    public AioEndpoint(AioEngine engine, Map<String, Object> configuration, @Nullable AioPoller poller, boolean allowZeroMaxParallel) {
        this(engine, configuration, poller, allowZeroMaxParallel, name -> null);
    }

    /**
     * An endpoint for {@code engine} that also shows other engines by name ({@link #engine(String)}).
     *
     * @param engine the engine
     * @param configuration what the engine does not report itself (backend, root, grace period), shown under settings
     * @param poller the poller, or {@code null} when the application polls the engine itself
     * @param allowZeroMaxParallel whether the write operation may set {@code maxParallel} 0
     * @param byName a read-only endpoint for the engine of a name (its bean name), {@code null} for none
     */
    public AioEndpoint(AioEngine engine, Map<String, Object> configuration, @Nullable AioPoller poller, boolean allowZeroMaxParallel,
            Function<String, @Nullable AioEndpoint> byName) {
        this.byName = byName;
        this.engine = engine;
        this.configuration = Map.copyOf(configuration);
        this.poller = poller;
        this.allowZeroMaxParallel = allowZeroMaxParallel;
    }

    /** The engine's state now. */
    @ReadOperation
    public AioDescriptor aio() {
        AioEngine e = engine;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("backend", e.backend().name().toLowerCase(Locale.ROOT));
        settings.put("ioUring", e.ioUring());
        settings.put("batchWorkers", e.batchWorkers());
        settings.put("minParallel", e.maxIdle());
        settings.put("maxParallel", e.parallelism());
        settings.put("parallelism", e.parallelism());
        settings.put("maxIdle", e.maxIdle());
        settings.put("idleTimeout", e.idleTimeout().toString());
        settings.put("maxOutstanding", e.maxOutstanding());
        settings.put("maxPollReqs", e.maxPollReqs());
        settings.put("maxPollTime", e.maxPollTime().toString());
        settings.putAll(configuration);
        int[] byPri = e.nreadyByPriority();
        Map<String, Integer> ready = new LinkedHashMap<>();
        for (int i = byPri.length - 1; i >= 0; i--) {
            ready.put(Integer.toString(i - 4), byPri[i]);
        }
        Duration oldest = e.oldestReadyAge();
        Requests requests = new Requests(e.nreqs(), e.nready(), e.npending(), ready,
                oldest == null ? null : oldest.toString(), oldest == null ? null : oldest.toMillis());
        int running = e.nthreads();
        int idle = e.nidle();
        Threads threads = new Threads(running, Math.max(0, running - idle), idle);
        Counters counters = new Counters(e.cancellations(), e.timeouts(), e.callbackFailures());
        AioPoller p = poller;
        Poller pollerState = p == null ? null : new Poller(p.isRunning(), p.polls(), p.sinceLastProgress().toString());
        return new AioDescriptor(e.isClosed(), settings, requests, threads, counters, pollerState);
    }

    /**
     * One engine's state, by its bean name ({@code GET /actuator/aio/{name}}): for an application
     * with several engines; 404 for a name that is not an engine's.
     *
     * @param name the engine's bean name
     * @return its state, or {@code null} (404)
     */
    @ReadOperation
    public @Nullable AioDescriptor engine(@Selector String name) {
        AioEndpoint e = byName.apply(name);
        return e == null ? null : e.aio();
    }

    /**
     * Changes the threads, as {@code aio.min-parallel} / {@code aio.max-parallel} set them:
     * {@code maxParallel} is the most worker threads (lowering it waits for the surplus threads to
     * finish their request; a value below the current minParallel lowers that too), {@code
     * minParallel} the idle threads kept (refused above the maximum). {@code maxParallel} 0 is
     * refused unless {@link #ALLOW_ZERO_MAX_PARALLEL} is true.
     *
     * @param minParallel the idle threads kept, or {@code null} to leave it
     * @param maxParallel the most threads, or {@code null} to leave it
     * @return the engine's state afterwards
     */
    @WriteOperation
    public AioDescriptor parallelism(@Nullable Integer minParallel, @Nullable Integer maxParallel) {
        if (minParallel == null && maxParallel == null) {
            throw new InvalidEndpointRequestException("minParallel or maxParallel is required", "minParallel or maxParallel is required");
        }
        if (minParallel != null && minParallel < 0) {
            throw invalid("minParallel must be 0 or more, got " + minParallel);
        }
        if (maxParallel != null && maxParallel < 0) {
            throw invalid("maxParallel must be 0 or more, got " + maxParallel);
        }
        if (maxParallel != null && maxParallel == 0 && !allowZeroMaxParallel) {
            throw invalid("maxParallel 0 is refused: every request would wait and none run until it is raised again"
                    + " (set " + ALLOW_ZERO_MAX_PARALLEL + "=true to allow it)");
        }
        int max = maxParallel != null ? maxParallel : engine.parallelism();
        if (minParallel != null && max < minParallel) {
            throw invalid(maxParallel != null
                    ? "maxParallel (" + maxParallel + ") must not be below minParallel (" + minParallel + ")"
                    : "minParallel (" + minParallel + ") must not be above maxParallel (now " + max + "): raise maxParallel too");
        }
        if (engine.isClosed()) {
            throw invalid("the engine is closed");
        }
        if (maxParallel != null) {
            if (maxParallel < engine.parallelism()) {
                engine.maxParallel(maxParallel);
            } else {
                engine.minParallel(maxParallel);
            }
        }
        int keep = minParallel != null ? minParallel : Math.min(engine.maxIdle(), max);
        if (keep != engine.maxIdle()) {
            engine.maxIdle(keep);
        }
        return aio();
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }

    /**
     * What {@code GET /actuator/aio} shows.
     *
     * @param closed whether the engine is closed
     * @param settings the engine's settings and the starter's configuration
     * @param requests queue depths and the oldest waiting request's age
     * @param threads worker threads
     * @param counters cumulative counters
     * @param poller the poller's state, or {@code null} without one
     */
    public record AioDescriptor(boolean closed, Map<String, Object> settings, Requests requests, Threads threads,
            Counters counters, @Nullable Poller poller) implements OperationResponseBody {
    }

    /**
     * Requests in the engine.
     *
     * @param outstanding requests whose callback has not run ({@code nreqs})
     * @param ready requests waiting for a worker ({@code nready})
     * @param pending requests executed, waiting for the poller ({@code npending})
     * @param readyByPriority waiting requests per priority, 4 (highest) first
     * @param oldestReadyAge ISO-8601 age of the oldest waiting request, {@code null} when times are not recorded
     * @param oldestReadyAgeMillis the same in milliseconds
     */
    public record Requests(long outstanding, int ready, long pending, Map<String, Integer> readyByPriority,
            @Nullable String oldestReadyAge, @Nullable Long oldestReadyAgeMillis) {
    }

    /**
     * Worker threads.
     *
     * @param running threads started ({@code nthreads})
     * @param busy threads executing a request
     * @param idle threads waiting for one
     */
    public record Threads(int running, int busy, int idle) {
    }

    /**
     * Cumulative counters.
     *
     * @param cancellations requests that finished cancelled
     * @param timeouts requests whose deadline passed while queued
     * @param callbackFailures callbacks and feeders that threw
     */
    public record Counters(long cancellations, long timeouts, long callbackFailures) {
    }

    /**
     * The poller thread.
     *
     * @param running whether it runs
     * @param polls pollCb calls it completed
     * @param sinceLastProgress ISO-8601 time since it last showed progress
     */
    public record Poller(boolean running, long polls, String sinceLastProgress) {
    }
}
