package org.ioaio.spring.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the aio engine, when Micrometer and a {@link MeterRegistry} bean are present
 * (Spring Boot's {@code spring-boot-micrometer-metrics} binds them to the registry):
 * {@link AioEngineMetrics} (gauges, counters) and {@link AioRequestMetrics} (timers, fed as the
 * engine's listener).
 */
@AutoConfiguration(after = AioAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, AioEngine.class })
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(AioEngine.class)
public final class AioMetricsAutoConfiguration {

    /** Gauges and counters read from the engine. */
    @Bean
    @ConditionalOnMissingBean
    AioEngineMetrics aioEngineMetrics(AioEngine engine) {
        return new AioEngineMetrics(engine);
    }

    /** The timers; the auto-configured engine takes it as its listener. */
    @Bean
    @ConditionalOnMissingBean
    AioRequestMetrics aioRequestMetrics() {
        return new AioRequestMetrics();
    }
}
