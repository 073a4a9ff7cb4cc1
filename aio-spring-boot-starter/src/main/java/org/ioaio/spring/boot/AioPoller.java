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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioEngine;
import org.springframework.context.SmartLifecycle;

/**
 * The thread that processes an engine's results: one daemon thread that waits on {@link
 * AioEngine#pollChannel()} with a {@link Selector} (IO::AIO's {@code poll_fileno} in an event
 * loop) and calls {@link AioEngine#pollCb()} whenever it is readable, so every callback and every
 * future of the engine completes on this thread. It never spins: with nothing pending it blocks in
 * {@code select}, waking at least every {@link #HEARTBEAT} to show it is alive.
 *
 * <p>Each {@code pollCb} is bounded by {@code aio.poll.max-reqs} and {@code aio.poll.max-time};
 * with {@code aio.max-outstanding} set it stays inside {@code pollCb} while that many requests are
 * outstanding, as IO::AIO's poll functions do.
 *
 * <p>Do not block in callbacks or in the dependent stages of the futures the engine completes:
 * they run here, and while they run no other result is processed ({@code aio.health.max-poll-delay}
 * turns that into a DOWN health).
 *
 * <p>Runs in phase {@link AioEngineLifecycle#PHASE} + 1: it starts after the engine's lifecycle and
 * stops before it, after which {@link AioEngine#close(Duration)} processes the remaining results on
 * the closing thread.
 */
public class AioPoller implements SmartLifecycle {

    /** The longest the poller blocks in {@code select} before it looks around again. */
    public static final Duration HEARTBEAT = Duration.ofMillis(500);

    private static final System.Logger LOG = System.getLogger(AioPoller.class.getName());

    private final AioEngine engine;
    private final String threadName;
    private final Duration stopTimeout;
    private final Object lifecycleLock = new Object();

    /** The polling thread, or {@code null} when stopped; guarded by {@link #lifecycleLock}. */
    private Thread thread;

    /** The selector the thread waits in; written under {@link #lifecycleLock}. */
    private volatile Selector selector;

    /** Cleared to ask the thread to stop. */
    private volatile boolean running;

    /** {@link System#nanoTime()} of the thread's last sign of progress: a select returning or a pollCb finishing. */
    private volatile long lastProgressNanos = System.nanoTime();

    /** {@link System#nanoTime()} of the end of the last pollCb that had results to deliver (or of the start). */
    private volatile long lastDeliveryNanos = System.nanoTime();

    /** {@code pollCb} calls completed, for monitoring. */
    private volatile long polls;

    /**
     * A poller for {@code engine}.
     *
     * @param engine the engine whose results it processes
     * @param threadName the polling thread's name
     * @param stopTimeout how long {@link #stop()} waits for a callback still running on the thread
     */
    public AioPoller(AioEngine engine, String threadName, Duration stopTimeout) {
        this.engine = engine;
        this.threadName = threadName;
        this.stopTimeout = stopTimeout;
    }

    /** Starts the polling thread (once; does nothing when it runs). */
    @Override
    public void start() {
        synchronized (lifecycleLock) {
            if (thread != null) {
                return;
            }
            Selector sel;
            try {
                sel = Selector.open();
                engine.pollChannel().register(sel, SelectionKey.OP_READ);
            } catch (ClosedChannelException e) {
                throw new IllegalStateException("aio: the engine's poll channel is closed: the engine was closed before the poller started", e);
            } catch (IOException e) {
                throw new UncheckedIOException("aio: cannot open a selector for the poller", e);
            }
            selector = sel;
            running = true;
            lastProgressNanos = System.nanoTime();
            lastDeliveryNanos = lastProgressNanos;
            Thread t = new Thread(this::run, threadName);
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    /** Asks the thread to stop, wakes it and waits for it (at most the stop timeout). */
    @Override
    public void stop() {
        Thread t;
        synchronized (lifecycleLock) {
            t = thread;
            if (t == null) {
                return;
            }
            running = false;
            thread = null;
            Selector sel = selector;
            if (sel != null) {
                sel.wakeup();
            }
        }
        if (t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(Math.max(1, stopTimeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "aio: the poller thread " + t.getName() + " is still inside a callback after "
                    + stopTimeout + "; it stops when the callback returns");
        }
    }

    /** {@code true} while the polling thread runs. */
    @Override
    public boolean isRunning() {
        synchronized (lifecycleLock) {
            return thread != null && thread.isAlive();
        }
    }

    /**
     * Not paused with its context (Spring Framework 7 pauses cached test contexts by stopping
     * them): the engine it polls is closed when stopped, so a paused context could never resume.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** {@link AioEngineLifecycle#PHASE} + 1: after the engine at start, before it at stop. */
    @Override
    public int getPhase() {
        return AioEngineLifecycle.PHASE + 1;
    }

    /**
     * How long ago the poller last showed progress (a {@code select} returning or a {@code pollCb}
     * finishing); it grows without bound while a callback blocks the thread.
     */
    public Duration sinceLastProgress() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - lastProgressNanos));
    }

    /**
     * How long ago the poller last delivered results: the end of the last {@code pollCb} that found
     * results pending (or the start). While requests wait for a worker thread, its growth means no
     * request finishes: the workers are stuck (or there are none).
     */
    public Duration sinceLastDelivery() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - lastDeliveryNanos));
    }

    /** The engine this poller processes the results of. */
    public AioEngine engine() {
        return engine;
    }

    /** The number of {@code pollCb} calls the thread has completed. */
    public long polls() {
        return polls;
    }

    private void run() {
        Selector sel = selector;
        try {
            long heartbeatMillis = HEARTBEAT.toMillis();
            while (running && !engine.isClosed()) {
                int ready = sel.select(heartbeatMillis);
                sel.selectedKeys().clear();
                lastProgressNanos = System.nanoTime();
                if (!running) {
                    break;
                }
                boolean delivering = engine.npending() > 0;
                if (ready > 0 || delivering) {
                    engine.pollCb();
                    polls++;
                    lastProgressNanos = System.nanoTime();
                    if (delivering) {
                        lastDeliveryNanos = lastProgressNanos;
                    }
                }
            }
        } catch (ClosedSelectorException e) {
            // stopped
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "aio: the poller's selector failed; results are no longer processed", e);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "aio: the poller thread died; results are no longer processed", e);
            throw e;
        } finally {
            try {
                sel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "aio: closing the poller's selector failed", e);
            }
            synchronized (lifecycleLock) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "AioPoller[" + threadName + ", polls=" + polls + ", lastProgress="
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgressNanos) + "ms ago]";
    }
}
