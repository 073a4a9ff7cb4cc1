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

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.ioaio.AioCallback;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.ioaio.spring.boot.AioCompletionDecorator;

/**
 * An {@link Observation} per request, named {@value #NAME}: started on the submitting thread (so
 * its parent is the submitter's current observation, and a trace shows the request as a child
 * span) and stopped on the poller thread when the request completes, before its callback (or its
 * future's stages) run. Its contextual name is {@code aio <operation>}; its low-cardinality keys are {@value
 * #OPERATION} (the operation: {@code stat}, {@code open}...), {@value #ENGINE} (the engine's bean
 * name) and {@value #OUTCOME} ({@code success}, the errno's name such as {@code ENOENT}, {@code
 * CANCELLED}, {@code TIMEOUT} or {@code UNKNOWN}); a failure is the observation's error. Never a path.
 *
 * <p>Off unless {@code aio.observations.enabled=true}: it costs an observation (and a span, with a
 * tracer) per request.
 */
public class AioObservations implements AioCompletionDecorator {

    /** The observation's name. */
    public static final String NAME = "aio.request";

    /** The key of the operation's name. */
    public static final String OPERATION = "aio.operation";

    /** The key of the engine's name. */
    public static final String ENGINE = "aio.engine";

    /** The key of the outcome. */
    public static final String OUTCOME = "aio.outcome";

    private final ObservationRegistry registry;
    private final KeyValue engine;

    /**
     * Observations into {@code registry}.
     *
     * @param registry the registry
     * @param engineName the engine's name, for the {@value #ENGINE} key
     */
    public AioObservations(ObservationRegistry registry, String engineName) {
        this.registry = registry;
        this.engine = KeyValue.of(ENGINE, engineName);
    }

    @Override
    public <T> AioCallback<T> decorate(AioCallback<T> callback) {
        if (registry.isNoop()) {
            return callback;
        }
        Observation observation = Observation.createNotStarted(NAME, registry).lowCardinalityKeyValue(engine).start();
        if (observation.isNoop()) {
            return callback;
        }
        return AioCompletionDecorator.around(callback, (request, outcome, delivery) -> {
            String op = request.operation();
            Throwable error = outcome == null ? new CancellationException(op + ": cancelled")
                    : outcome.ok() ? null
                    : request.isTimedOut() ? new TimeoutException(op + ": deadline passed while the request was queued")
                    : outcome.failure();
            try {
                observation.contextualName("aio " + op);
                observation.lowCardinalityKeyValue(OPERATION, op);
                observation.lowCardinalityKeyValue(OUTCOME, outcome(error));
                if (error != null) {
                    observation.error(error);
                }
                observation.stop();
            } finally {
                delivery.run();
            }
        });
    }

    /** The bounded outcome of a completion. */
    static String outcome(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e == null) {
            return "success";
        }
        if (e instanceof CancellationException) {
            return "CANCELLED";
        }
        if (e instanceof TimeoutException) {
            return "TIMEOUT";
        }
        if (e instanceof AioException a) {
            Errno errno = Errno.of(a.errno());
            return errno == null ? "UNKNOWN" : errno.name();
        }
        return "UNKNOWN";
    }

    @Override
    public String toString() {
        return "AioObservations[" + engine.getValue() + "]";
    }
}
