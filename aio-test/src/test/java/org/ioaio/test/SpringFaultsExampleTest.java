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

package org.ioaio.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioBackend;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.ioaio.spring.boot.AioEngineBuilderCustomizer;
import org.ioaio.spring.boot.AioTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The README's Spring example: the starter's engine built on AioFaults through an AioEngineBuilderCustomizer; a fault reaches AioTemplate's future. */
class SpringFaultsExampleTest {

    /** What an application's test adds: the faults, and a customizer installing them in the starter's engine. */
    // README-BEGIN
    @Configuration(proxyBeanMethods = false)
    static class Faults { // @Import it into a @SpringBootTest (or as a @TestConfiguration)
        @Bean
        AioFaults aioFaults() {
            return AioFaults.create();
        }

        @Bean
        AioEngineBuilderCustomizer aioFaultsCustomizer(AioFaults faults) {
            return faults::install; // the starter's engine runs on the faults
        }
    }
    // README-END

    @TempDir
    Path root;

    /** A stat failing with EIO fails the template's future with that errno, on the starter's poller. */
    @Test
    void starterEngineWithFaults() throws Exception {
        Files.writeString(root.resolve("a.txt"), "x");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class))
                .withUserConfiguration(Faults.class)
                .withPropertyValues("aio.shutdown.grace-period=5s")
                .run(context -> {
                    AioTemplate template = context.getBean(AioTemplate.class);
                    assertThat(template.engine().backend()).isEqualTo(AioBackend.NIO);
                    context.getBean(AioFaults.class).failAlways("stat", Errno.EIO);
                    Path file = root.resolve("a.txt");
                    assertThatThrownBy(() -> template.stat(file).get(30, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AioException.class)
                            .satisfies(t -> assertThat(((AioException) t).errno()).isEqualTo(Errno.EIO.code()));
                    assertThat(template.lstat(file).get(30, TimeUnit.SECONDS).size()).isEqualTo(1);
                });
    }

    /** Under aio.root (AioTemplate is a view of the engine's jail of it) a path rule fails the template's request with the injected errno, the path relative to the root. */
    @Test
    void templateInTheJailFailsWithTheInjectedErrno() throws Exception {
        Files.writeString(root.resolve("a.txt"), "x");
        Files.writeString(root.resolve("b.txt"), "yy");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class))
                .withUserConfiguration(Faults.class)
                .withPropertyValues("aio.shutdown.grace-period=5s", "aio.root=" + root)
                .run(context -> {
                    AioTemplate template = context.getBean(AioTemplate.class);
                    assertThat(template.root()).contains(root);
                    AioFaults faults = context.getBean(AioFaults.class);
                    faults.forPaths("a.txt").failAlways("stat", Errno.EIO);
                    assertThatThrownBy(() -> template.stat("a.txt").get(30, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AioException.class)
                            .satisfies(t -> assertThat(((AioException) t).errno()).isEqualTo(Errno.EIO.code()));
                    assertThat(template.stat("b.txt").get(30, TimeUnit.SECONDS).size()).isEqualTo(2);
                    assertThat(faults.calls("stat")).isEqualTo(2);
                });
    }
}
