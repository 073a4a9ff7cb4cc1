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
