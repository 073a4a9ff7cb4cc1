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

package org.ioaio.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * Makes the data directory exist before the {@code aio.*} properties are bound (the starter
 * refuses an {@code aio.root} that is not an existing directory): {@code aio.root} as configured
 * ({@code aio-data} beside the working directory in {@code application.yml}), made absolute so
 * that logs and the Actuator show where it is. A bean factory post-processor, so it sees every
 * property source (command line, environment, tests' dynamic properties) and runs before any
 * bean is created. Not while Spring processes the application ahead of time ({@code process-aot}):
 * nothing is made at build time.
 */
@Component
public class DataDirectory implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The data directory when {@code aio.root} is not set at all. */
    public static final String DEFAULT = "aio-data";

    /** The system property Spring sets while it processes the application ahead of time. */
    static final String AOT_PROCESSING = "spring.aot.processing";

    private ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = (ConfigurableEnvironment) environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (Boolean.getBoolean(AOT_PROCESSING)) {
            // process-aot refreshes the context at build time only to record its bean definitions:
            // the data directory belongs to the run, not to the build.
            return;
        }
        String configured = environment.getProperty("aio.root");
        Path dir = Path.of(configured == null || configured.isBlank() ? DEFAULT : configured).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory aio.root=" + dir, e);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("sampleDataDirectory", Map.of("aio.root", dir.toString())));
    }
}
