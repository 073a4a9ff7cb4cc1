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
import java.util.function.UnaryOperator;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.IoUringMode;

/**
 * The engine configurations the benchmarks measure. Every harness runs its aio variants over
 * {@link #configs(AioBackend)}: the first configuration at each of the harness's thread counts,
 * the others at one thread count each. A new backend or engine option is measured everywhere by
 * adding one line to {@link #configs(AioBackend)}.
 */
final class Backends {

    private Backends() {}

    /**
     * A named way to build an engine.
     *
     * @param name how tables name it (a backend, perhaps with an option: {@code NATIVE}, {@code NIO})
     * @param options applied to a fresh builder before the thread counts are set
     */
    record Config(String name, UnaryOperator<AioEngine.Builder> options) {

        /** An engine of this configuration with exactly {@code threads} workers, none of them timing out. */
        AioEngine engine(int threads) {
            return options.apply(AioEngine.builder()).minParallel(threads).maxParallel(threads).maxIdle(threads).build();
        }
    }

    /**
     * The configurations to measure: the backend {@code wanted} resolves to first, then, when
     * {@code wanted} is AUTO and resolved to another layer, the portable NIO layer.
     *
     * @param wanted the backend asked for on the command line
     * @return one or more configurations, the default one first
     */
    static List<Config> configs(AioBackend wanted) {
        AioBackend used = resolve(wanted);
        List<Config> out = new ArrayList<>();
        out.add(new Config(used.name(), b -> b.backend(used)));
        if (wanted == AioBackend.AUTO && used != AioBackend.NIO) {
            out.add(new Config(AioBackend.NIO.name(), b -> b.backend(AioBackend.NIO)));
        }
        return out;
    }

    /**
     * {@link #configs(AioBackend)}, and for workloads io_uring serves (reads, writes), the native
     * backend with io_uring off too, so that the ring and the workers are compared in one run.
     *
     * @param wanted the backend asked for on the command line
     * @return the configurations, the default one first
     */
    static List<Config> ioConfigs(AioBackend wanted) {
        List<Config> out = configs(wanted);
        if (resolve(wanted) == AioBackend.NATIVE) {
            out.add(1, new Config("NATIVE, io_uring off", b -> b.backend(AioBackend.NATIVE).ioUring(IoUringMode.OFF)));
        }
        return out;
    }

    /** The backend an engine built with {@code wanted} uses (fails for NATIVE where unavailable). */
    static AioBackend resolve(AioBackend wanted) {
        try (AioEngine aio = AioEngine.builder().backend(wanted).maxParallel(0).build()) {
            return aio.backend();
        }
    }
}
