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
import java.util.Locale;
import java.util.Map;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.ioaio.spring.boot.AioEnginePollers;
import org.ioaio.spring.boot.AioPoller;
import org.ioaio.spring.boot.AioProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

/** The {@code aio} Actuator endpoint, when Actuator is present and the endpoint is available (exposed and enabled). */
@AutoConfiguration(after = AioAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, AioEngine.class })
@ConditionalOnSingleCandidate(AioEngine.class)
@ConditionalOnAvailableEndpoint(AioEndpoint.class)
@ImportRuntimeHints(AioEndpointRuntimeHints.class)
public final class AioEndpointAutoConfiguration {

    /** The endpoint over the engine and its poller. */
    @Bean
    @ConditionalOnMissingBean
    AioEndpoint aioEndpoint(AioEngine engine, ObjectProvider<AioProperties> properties, ObjectProvider<AioPoller> poller,
            ObjectProvider<AioEnginePollers> others, Environment environment, ListableBeanFactory beans) {
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("engine", AioAutoConfiguration.engineName(beans));
        AioProperties p = properties.getIfAvailable();
        if (p != null) {
            configuration.put("requestedBackend", p.getBackend().name().toLowerCase(Locale.ROOT));
            // Whether requests are jailed, not where: the data path is no business of whoever reads this endpoint.
            configuration.put("jailed", p.getRoot() != null);
            configuration.put("recordTimes", p.isRecordTimes());
            configuration.put("shutdownGracePeriod", p.getShutdown().getGracePeriod().toString());
        }
        return new AioEndpoint(engine, configuration, AioHealthContributorAutoConfiguration.pollerOf(engine, poller, others),
                environment.getProperty(AioEndpoint.ALLOW_ZERO_MAX_PARALLEL, Boolean.class, false), name -> other(beans, poller, others, name));
    }

    /** A read-only endpoint for the engine bean named {@code name}, or {@code null}. */
    private static @Nullable AioEndpoint other(ListableBeanFactory beans, ObjectProvider<AioPoller> pollers,
            ObjectProvider<AioEnginePollers> others, String name) {
        if (!beans.containsBean(name) || !beans.isTypeMatch(name, AioEngine.class)) {
            return null;
        }
        AioEngine e = beans.getBean(name, AioEngine.class);
        return new AioEndpoint(e, Map.of("engine", name), AioHealthContributorAutoConfiguration.pollerOf(e, pollers, others), false);
    }
}
