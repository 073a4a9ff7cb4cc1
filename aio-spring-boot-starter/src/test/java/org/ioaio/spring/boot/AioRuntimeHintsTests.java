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

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ioaio.spring.boot.actuate.AioEndpoint;
import org.ioaio.spring.boot.actuate.AioEndpointRuntimeHints;
import org.ioaio.spring.boot.metrics.AioMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

/** The starter's runtime hints for a native image, and a context processed ahead of time (Spring AOT) that starts and runs a request. */
class AioRuntimeHintsTests {

    private static RuntimeHints starterHints() {
        RuntimeHints hints = new RuntimeHints();
        new AioRuntimeHints().registerHints(hints, AioRuntimeHintsTests.class.getClassLoader());
        return hints;
    }

    /** The aio.* properties can be bound in a native image: their setters, nested groups included, are invocable. */
    @Test
    void propertiesBinding() {
        RuntimeHints hints = starterHints();
        assertThat(RuntimeHintsPredicates.reflection().onType(AioProperties.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AioProperties.class, "setMaxParallel")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AioProperties.Poll.class, "setMaxReqs")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AioProperties.ContextPropagation.class, "setMdc"))
                .accepts(hints);
    }

    /** The engine's classes loaded by name are in the engine jar's own reachability metadata, which the image builder reads without Spring. */
    @Test
    void engineClassesLoadedByNameAreInTheEnginesMetadata() throws Exception {
        String file = "META-INF/native-image/org.ioaio/aio-engine/reachability-metadata.json";
        try (java.io.InputStream in = AioRuntimeHintsTests.class.getClassLoader().getResourceAsStream(file)) {
            assertThat(in).as(file + " on the class path").isNotNull();
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(json).contains("\"org.ioaio.internal.linux.NativeProbe22\"", "\"org.ioaio.internal.linux.LinuxSyscalls\"",
                    "\"org.ioaio.internal.linux.UringLane\"", "\"com.sun.nio.file.ExtendedOpenOption\"", "\"downcalls\"");
        }
    }

    /** The endpoint's responses can be written as JSON: its records' accessors are registered. */
    @Test
    void endpointResponses() {
        RuntimeHints hints = new RuntimeHints();
        new AioEndpointRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AioEndpoint.AioDescriptor.class, "requests")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AioEndpoint.Requests.class, "oldestReadyAge")).accepts(hints);
    }

    /** A minimal application with the starter. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ AioAutoConfiguration.class, AioMetricsAutoConfiguration.class })
    static class MinimalApplication {
    }

    private static StandardEnvironment environment() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("aio.shutdown.grace-period", "5s", "aio.min-parallel", "1", "aio.max-parallel", "2")));
        return environment;
    }

    /** Processed ahead of time, the context's generated code compiles, registers the starter's hints, starts, and completes a request. */
    @Test
    @CompileWithForkedClassLoader
    void aheadOfTimeProcessedContextStarts() {
        GenericApplicationContext build = new GenericApplicationContext();
        build.setEnvironment(environment());
        AnnotationConfigUtils.registerAnnotationConfigProcessors(build);
        build.registerBean(MinimalApplication.class);
        TestGenerationContext generation = new TestGenerationContext();
        ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(build, generation);
        generation.writeGeneratedContent();
        // Only the starter's registrar (imported by the auto-configuration) names SLF4J's MDC.
        assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("org.slf4j.MDC")))
                .accepts(((GenerationContext) generation).getRuntimeHints());

        TestCompiler.forSystem().with(generation).compile(compiled -> {
            @SuppressWarnings("unchecked")
            ApplicationContextInitializer<GenericApplicationContext> initializer =
                    compiled.getInstance(ApplicationContextInitializer.class, initializerName.toString());
            try (GenericApplicationContext aot = new GenericApplicationContext()) {
                aot.setEnvironment(environment());
                initializer.initialize(aot);
                aot.refresh();
                AioTemplate template = aot.getBean(AioTemplate.class);
                assertThat(aot.getBean(AioPoller.class).isRunning()).isTrue();
                assertThat(template.engine().parallelism()).isEqualTo(2);
                assertThat(template.nop().get(30, TimeUnit.SECONDS)).isNull();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
