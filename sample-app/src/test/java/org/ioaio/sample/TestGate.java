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

package org.ioaio.sample;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.ioaio.AioListener;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A test's hand on the engine's workers, as an {@link AioListener} (called on the worker right
 * after each request executed, before its result is queued): it can hold every worker that
 * finishes an {@code open} beyond a count until released, so a job stops midway at a known place
 * without any timing, and it can record the order in which requests executed.
 */
public class TestGate implements AioListener {

    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile int allowed = Integer.MAX_VALUE;
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile boolean recording;
    private final List<String> recorded = new CopyOnWriteArrayList<>();

    /**
     * Lets {@code n} more opens (or tree-copy steps) through, then holds each worker that finishes
     * another until {@link #release()}.
     */
    public void holdAfterOpens(int n) {
        release = new CountDownLatch(1);
        opens.set(0);
        allowed = n;
    }

    /** Lets every held worker go, holds no more, and stops recording. */
    public void release() {
        recording = false;
        allowed = Integer.MAX_VALUE;
        release.countDown();
    }

    /** Workers held now. */
    public int held() {
        return held.get();
    }

    /** Starts recording the operations executed, in order. */
    public void record() {
        recorded.clear();
        recording = true;
    }

    /** What was executed since {@link #record()}. */
    public List<String> recorded() {
        return List.copyOf(recorded);
    }

    @Override
    public void executed(String operation, long waitNanos, long executionNanos, int errno) {
        if (recording) {
            recorded.add(operation);
        }
        // A file copy's open (aio_copy's own steps), or a tree copy's step that copies one entry.
        if (("open".equals(operation) || "copy".equals(operation)) && opens.incrementAndGet() > allowed) {
            held.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held.decrementAndGet();
            }
        }
    }

    /** Registers the gate as a listener of the auto-configured engine. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {

        @Bean
        TestGate testGate() {
            return new TestGate();
        }
    }
}
