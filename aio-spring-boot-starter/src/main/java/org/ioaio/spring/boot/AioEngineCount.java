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

package org.ioaio.spring.boot;

import org.ioaio.AioEngine;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Conditions on how many {@link AioEngine} beans the context defines (a primary one counts as one of several). */
public abstract class AioEngineCount implements ConfigurationCondition {

    AioEngineCount() {}

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    /** The number of engine beans. */
    static int engines(ConditionContext context) {
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        return beans == null ? 0 : beans.getBeanNamesForType(AioEngine.class, true, false).length;
    }

    /** Exactly one engine. */
    public static final class One extends AioEngineCount {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return engines(context) == 1;
        }
    }

    /** Two or more engines. */
    public static final class Several extends AioEngineCount {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return engines(context) > 1;
        }
    }
}
