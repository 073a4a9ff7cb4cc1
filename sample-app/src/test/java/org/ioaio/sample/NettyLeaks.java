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

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's buffer leak reports, collected: the sample's tests run with {@code
 * -Dio.netty.leakDetection.level=paranoid} (every buffer tracked), and each leak Netty reports
 * (a buffer collected without being released, its "LEAK:" log line) is also given to a listener
 * on Netty's buffer leak detector, kept here for the tests to fail on. (A listener, not a log
 * appender: Spring Boot resets the logging configuration whenever an application starts.)
 */
final class NettyLeaks {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    static {
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) f.get(null);
            detector.setLeakListener((resourceType, records) -> REPORTS.add("LEAK: " + resourceType + "\n" + records));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot listen to Netty's buffer leak detector", e);
        }
    }

    private NettyLeaks() {
    }

    /** Installs the listener (before the application starts). */
    static void install() {
        // The static initializer does it.
    }

    /** The detection level the tests run with. */
    static ResourceLeakDetector.Level level() {
        return ResourceLeakDetector.getLevel();
    }

    /**
     * Lets Netty report what was leaked so far: collects garbage and allocates tracked buffers
     * (each allocation polls the detector's queue of collected, unreleased buffers), a few rounds.
     *
     * @return the reports so far
     */
    static List<String> reports() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            for (int i = 0; i < 200; i++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(16);
                a.release();
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                b.release();
            }
        }
        return List.copyOf(REPORTS);
    }

    /** Forgets the reports after the first {@code keep} (those a test provoked on purpose). */
    static void forgetAfter(int keep) {
        while (REPORTS.size() > keep) {
            REPORTS.remove(REPORTS.size() - 1);
        }
    }
}
