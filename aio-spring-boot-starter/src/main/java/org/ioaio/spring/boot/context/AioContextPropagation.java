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

package org.ioaio.spring.boot.context;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.ioaio.AioCallback;
import org.ioaio.spring.boot.AioCompletionDecorator;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * Completes each request's future with the submitter's thread-local context: a {@link
 * ContextSnapshot} of every {@link io.micrometer.context.ThreadLocalAccessor} of the global {@link
 * ContextRegistry} (Micrometer's current Observation, so a tracer's span and its MDC entries; any
 * accessor an application registers) is captured on the submitting thread, and restored on the
 * poller thread around the future's completion, so the callbacks and dependent stages that run
 * there see it; the poller thread's own values are back (none) after each completion. Optionally
 * the whole SLF4J MDC too, when no accessor for it is registered.
 *
 * <p>A stage added after the future completed runs on the thread that adds it, with that thread's
 * context, as usual.
 */
public class AioContextPropagation implements AioCompletionDecorator {

    private final ContextSnapshotFactory global;
    private final @Nullable ContextSnapshotFactory mdc;
    private final ContextRegistry registry;

    /**
     * Propagates the global registry's context.
     *
     * @param mdc whether to propagate the whole SLF4J MDC too when no accessor for it is registered
     *     (and SLF4J is present)
     */
    public AioContextPropagation(boolean mdc) {
        this(ContextRegistry.getInstance(), mdc);
    }

    /**
     * Propagates {@code registry}'s context.
     *
     * @param registry the accessors
     * @param mdc whether to propagate the whole SLF4J MDC too when the registry has no accessor for it
     */
    public AioContextPropagation(ContextRegistry registry, boolean mdc) {
        this.registry = registry;
        this.global = ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
        this.mdc = mdc && slf4jPresent()
                ? ContextSnapshotFactory.builder()
                        .contextRegistry(new ContextRegistry().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor()))
                        .clearMissing(true).build()
                : null;
    }

    @Override
    public <T> AioCallback<T> decorate(AioCallback<T> callback) {
        ContextSnapshot snapshot = global.captureAll();
        ContextSnapshot mdcSnapshot = mdcFactory() != null ? mdc.captureAll() : null;
        return AioCompletionDecorator.around(callback, (request, outcome, delivery) -> {
            // MDC outside: a tracer's scope, opened inside, adds its trace ids to the restored MDC and removes them.
            ContextSnapshot.Scope m = mdcSnapshot != null ? mdcSnapshot.setThreadLocals() : null;
            try {
                ContextSnapshot.Scope s = snapshot.setThreadLocals();
                try {
                    delivery.run();
                } finally {
                    s.close();
                }
            } finally {
                if (m != null) {
                    m.close();
                }
            }
        });
    }

    /** The MDC's factory, unless off or an accessor for the MDC is registered globally (which then propagates it). */
    private @Nullable ContextSnapshotFactory mdcFactory() {
        if (mdc == null) {
            return null;
        }
        for (var accessor : registry.getThreadLocalAccessors()) {
            if (Slf4jThreadLocalAccessor.KEY.equals(accessor.key())) {
                return null;
            }
        }
        return mdc;
    }

    private static boolean slf4jPresent() {
        return ClassUtils.isPresent("org.slf4j.MDC", AioContextPropagation.class.getClassLoader());
    }

    @Override
    public String toString() {
        return "AioContextPropagation[mdc=" + (mdc != null) + "]";
    }
}
