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

package org.ioaio.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * One aio variant of a harness: an engine configuration at a thread count, and its figure per pass.
 *
 * @param config how the engine is built
 * @param threads its worker threads
 * @param values the figure of each pass
 */
record AioVariant(Backends.Config config, int threads, double[] values) {

    /** How ratio tables name it: the configuration, then the threads ({@code NATIVE 2}). */
    String label() {
        return config.name() + " " + threads;
    }

    /**
     * The variants of a harness: the first configuration at each of {@code threads}, every other
     * configuration at {@code otherThreads}.
     */
    static List<AioVariant> of(List<Backends.Config> configs, int[] threads, int otherThreads, int passes) {
        List<AioVariant> out = new ArrayList<>();
        for (int t : threads) {
            out.add(new AioVariant(configs.get(0), t, new double[passes]));
        }
        for (Backends.Config c : configs.subList(1, configs.size())) {
            out.add(new AioVariant(c, otherThreads, new double[passes]));
        }
        return out;
    }

    /** The configurations' names, for a header line. */
    static String names(List<Backends.Config> configs) {
        StringJoiner j = new StringJoiner(", ");
        configs.forEach(c -> j.add(c.name()));
        return j.toString();
    }
}
