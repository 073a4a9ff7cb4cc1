package org.ioaio.bench;

import org.ioaio.AioBackend;
import org.ioaio.AioEngine;

/** Engines for the benchmarks: a given backend and a fixed number of worker threads. */
final class Backends {

    private Backends() {}

    /** The backend an engine built with {@code wanted} uses (fails for NATIVE where unavailable). */
    static AioBackend resolve(AioBackend wanted) {
        try (AioEngine aio = AioEngine.builder().backend(wanted).maxParallel(0).build()) {
            return aio.backend();
        }
    }

    /** An engine on {@code backend} with exactly {@code threads} workers, none of them timing out. */
    static AioEngine engine(AioBackend backend, int threads) {
        return AioEngine.builder().backend(backend).minParallel(threads).maxParallel(threads).maxIdle(threads).build();
    }
}
