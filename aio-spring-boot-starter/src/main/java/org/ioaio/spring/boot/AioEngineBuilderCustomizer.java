package org.ioaio.spring.boot;

import org.ioaio.AioEngine;

/**
 * Customizes the {@link AioEngine.Builder} of the auto-configured engine after the {@code aio.*}
 * properties were applied; declare one as a bean. Prefer this to defining your own {@link
 * AioEngine}, which also drops the metrics listener.
 */
@FunctionalInterface
public interface AioEngineBuilderCustomizer {

    /**
     * Customizes the builder.
     *
     * @param builder the builder, with the properties already applied
     */
    void customize(AioEngine.Builder builder);
}
