package org.ioaio.spring.boot.actuate;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/** What a native image needs to write the {@code aio} endpoint's responses as JSON: the descriptor records, bound. */
public class AioEndpointRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), AioEndpoint.AioDescriptor.class,
                AioEndpoint.Requests.class, AioEndpoint.Threads.class, AioEndpoint.Counters.class, AioEndpoint.Poller.class);
    }
}
