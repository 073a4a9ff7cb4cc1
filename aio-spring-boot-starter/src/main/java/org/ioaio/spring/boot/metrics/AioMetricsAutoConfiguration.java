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

package org.ioaio.spring.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.beans.factory.ListableBeanFactory;
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
public final class AioMetricsAutoConfiguration {

    /** Gauges and counters read from every engine, tagged with its bean name. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AioEngine.class)
    AioEngineMetrics aioEngineMetrics(Map<String, AioEngine> engines) {
        return new AioEngineMetrics(engines);
    }

    /** The timers, tagged with the single (or primary) engine's bean name; the auto-configured engine takes it as its listener. */
    @Bean
    @ConditionalOnMissingBean
    AioRequestMetrics aioRequestMetrics(ListableBeanFactory beans) {
        return new AioRequestMetrics(Tags.of(AioEngineMetrics.ENGINE_TAG, AioAutoConfiguration.engineName(beans)));
    }
}
