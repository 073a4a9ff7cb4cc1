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

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What a native image (Spring AOT, GraalVM) needs of aio beyond what Spring infers, registered by
 * {@link AioAutoConfiguration} with {@code @ImportRuntimeHints}:
 *
 * <ul>
 *   <li>binding of the {@code aio.*} properties ({@link AioProperties} and its nested groups);
 *   <li>SLF4J's {@code MDC}, looked up by name for context propagation.
 * </ul>
 *
 * <p>The engine's own needs (the classes it loads by name and the FFM downcalls of its native
 * backend) are in the engine jar's GraalVM reachability metadata
 * ({@code META-INF/native-image/org.ioaio/aio-engine/}), which the image builder reads with or
 * without Spring.
 */
public class AioRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(AioProperties.class).registerHints(hints, classLoader);
        hints.reflection().registerType(TypeReference.of("org.slf4j.MDC"));
    }
}
