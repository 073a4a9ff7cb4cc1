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
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioPoller;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code aio} health: DOWN only when the engine is stuck, never merely for being busy.
 *
 * <p>DOWN when the engine is closed; when the poller thread has stopped; when results are pending
 * and the poller has made no progress for longer than {@code aio.health.max-poll-delay} (a callback
 * blocks it); or when requests wait for a worker thread and no result has been delivered for longer
 * than {@code aio.health.max-stall} (every worker blocked in a syscall, or max-parallel 0). The
 * last check needs the starter's poller (it is skipped when the application polls the engine).
 *
 * <p>A <em>backlog</em> (the oldest request waiting for a worker longer than {@code
 * aio.health.max-wait}) is reported in the details ({@code backlog: true}) and leaves the status UP,
 * or sets the status named by {@code aio.health.backlog-status} when the application opts into one
 * (e.g. {@code OUT_OF_SERVICE}). Details: queue depths, threads, the oldest wait, the poller's silence.
 */
public class AioHealthIndicator implements HealthIndicator {

    private final AioEngine engine;
    private final @Nullable AioPoller poller;
    private final Duration maxWait;
    private final Duration maxPollDelay;
    private final Duration maxStall;
    private final @Nullable Status backlogStatus;

    /** The default of {@code aio.health.max-stall}. */
    public static final Duration DEFAULT_MAX_STALL = Duration.ofSeconds(60);

    /**
     * A health indicator for {@code engine} that stays UP during a backlog and uses the default stall limit.
     *
     * @param engine the engine
     * @param poller its poller, or {@code null} when the application polls it
     * @param maxWait a backlog when the oldest waiting request has waited longer
     * @param maxPollDelay DOWN when results are pending and the poller has been silent longer
     */
    public AioHealthIndicator(AioEngine engine, @Nullable AioPoller poller, Duration maxWait, Duration maxPollDelay) {
        this(engine, poller, maxWait, maxPollDelay, DEFAULT_MAX_STALL, null);
    }

    /**
     * A health indicator for {@code engine}.
     *
     * @param engine the engine
     * @param poller its poller, or {@code null} when the application polls it
     * @param maxWait a backlog when the oldest waiting request has waited longer
     * @param maxPollDelay DOWN when results are pending and the poller has been silent longer
     * @param maxStall DOWN when requests wait for a worker and no result has been delivered for longer
     * @param backlogStatus the status during a backlog, or {@code null} for UP
     */
    public AioHealthIndicator(AioEngine engine, @Nullable AioPoller poller, Duration maxWait, Duration maxPollDelay,
            Duration maxStall, @Nullable Status backlogStatus) {
        this.engine = engine;
        this.poller = poller;
        this.maxWait = maxWait;
        this.maxPollDelay = maxPollDelay;
        this.maxStall = maxStall;
        this.backlogStatus = backlogStatus;
    }

    /** The health now. */
    @Override
    public Health health() {
        AioEngine e = engine;
        long pending = e.npending();
        int ready = e.nready();
        Duration oldest = e.oldestReadyAge();
        boolean backlog = oldest != null && oldest.compareTo(maxWait) > 0;
        Health.Builder b = Health.up()
                .withDetail("outstanding", e.nreqs())
                .withDetail("ready", ready)
                .withDetail("pending", pending)
                .withDetail("threads", e.nthreads())
                .withDetail("idle", e.nidle())
                .withDetail("maxParallel", e.parallelism())
                .withDetail("backlog", backlog);
        if (oldest != null) {
            b.withDetail("oldestReadyAge", oldest.toString());
        }
        AioPoller p = poller;
        Duration silence = null;
        Duration sinceDelivery = null;
        if (p != null) {
            silence = p.sinceLastProgress();
            sinceDelivery = p.sinceLastDelivery();
            b.withDetail("pollerRunning", p.isRunning()).withDetail("pollerSilence", silence.toString())
                    .withDetail("sinceLastDelivery", sinceDelivery.toString());
        }
        if (e.isClosed()) {
            return b.down().withDetail("reason", "the engine is closed").build();
        }
        if (p != null && !p.isRunning()) {
            return b.down().withDetail("reason", "the poller thread is not running: results are not processed").build();
        }
        if (p != null && pending > 0 && silence.compareTo(maxPollDelay) > 0) {
            return b.down().withDetail("reason", "the poller has made no progress for " + silence + " with " + pending
                    + " result(s) pending (limit aio.health.max-poll-delay=" + maxPollDelay + "): a callback or future stage blocks it?").build();
        }
        if (p != null && ready > 0) {
            // Stalled for as long as both: no delivery, and requests waiting (the oldest's age when known).
            Duration stall = oldest == null ? sinceDelivery : min(sinceDelivery, oldest);
            if (stall.compareTo(maxStall) > 0) {
                int threads = e.parallelism();
                return b.down().withDetail("reason", "no request has finished for " + stall + " while " + ready
                        + " wait for a worker thread (limit aio.health.max-stall=" + maxStall + "): "
                        + (threads == 0 ? "max-parallel is 0, so no request runs" : "every worker is blocked in a request?")).build();
            }
        }
        if (backlog) {
            b.withDetail("backlogReason", "the oldest waiting request has waited " + oldest + " (aio.health.max-wait=" + maxWait + ")");
            if (backlogStatus != null) {
                b.status(backlogStatus);
            }
        }
        return b.build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
