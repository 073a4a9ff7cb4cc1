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

package org.ioaio.spring.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.ioaio.spring.boot.AioEngineCount;
import org.ioaio.spring.boot.AioEnginePollers;
import org.ioaio.spring.boot.AioPoller;
import org.ioaio.spring.boot.AioProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The {@code aio} health indicator, when Spring Boot's health support is present and {@code
 * management.health.aio.enabled} is not false: one {@link AioHealthIndicator} for a single engine;
 * with several {@link AioEngine} beans, {@code aio} is a composite with one indicator per engine,
 * named by its bean name.
 */
@AutoConfiguration(after = AioAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, AioEngine.class })
@ConditionalOnBean(AioProperties.class)
@ConditionalOnEnabledHealthIndicator("aio")
public final class AioHealthContributorAutoConfiguration {

    /** The indicator, named {@code aio} in the health report. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(AioEngineCount.One.class)
    AioHealthIndicator aioHealthIndicator(AioEngine engine, AioProperties properties, ObjectProvider<AioPoller> pollers,
            ObjectProvider<AioEnginePollers> others) {
        return indicator(engine, properties, pollerOf(engine, pollers, others));
    }

    /** With several engines: {@code aio}, one indicator per engine bean, by bean name. */
    @Bean
    @ConditionalOnMissingBean(name = "aioHealthContributor")
    @Conditional(AioEngineCount.Several.class)
    CompositeHealthContributor aioHealthContributor(Map<String, AioEngine> engines, AioProperties properties,
            ObjectProvider<AioPoller> pollers, ObjectProvider<AioEnginePollers> others) {
        Map<String, AioHealthIndicator> byName = new LinkedHashMap<>();
        engines.forEach((name, engine) -> byName.put(name, indicator(engine, properties, pollerOf(engine, pollers, others))));
        return CompositeHealthContributor.fromMap(byName);
    }

    private static AioHealthIndicator indicator(AioEngine engine, AioProperties properties, @Nullable AioPoller poller) {
        AioProperties.Health health = properties.getHealth();
        String backlog = health.getBacklogStatus();
        return new AioHealthIndicator(engine, poller, health.getMaxWait(), health.getMaxPollDelay(),
                health.getMaxStall(), backlog == null || backlog.isEmpty() ? null : new Status(backlog));
    }

    /** The poller of {@code engine}: a poller bean, else the one {@link AioEnginePollers} started, if any. */
    static @Nullable AioPoller pollerOf(AioEngine engine, ObjectProvider<AioPoller> pollers, ObjectProvider<AioEnginePollers> others) {
        AioPoller bean = pollers.orderedStream().filter(p -> p.engine() == engine).findFirst().orElse(null);
        if (bean != null) {
            return bean;
        }
        AioEnginePollers o = others.getIfAvailable();
        return o == null ? null : o.pollerOf(engine);
    }
}
