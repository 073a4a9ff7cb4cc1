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

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

/** The data directory is made when the application runs, never while it is processed ahead of time. */
class DataDirectoryTests {

    @TempDir
    Path base;

    /** At run time the configured directory is made and aio.root becomes its absolute path. */
    @Test
    void makesTheDirectoryAtRunTime() {
        Path dir = base.resolve("data");
        MockEnvironment environment = new MockEnvironment().withProperty("aio.root", dir.toString());

        process(environment);

        assertThat(dir).isDirectory();
        assertThat(environment.getProperty("aio.root")).isEqualTo(dir.toAbsolutePath().normalize().toString());
    }

    /** While Spring AOT processes the application (spring.aot.processing=true), nothing is made. */
    @Test
    void makesNothingDuringAotProcessing() {
        Path dir = base.resolve("data");
        MockEnvironment environment = new MockEnvironment().withProperty("aio.root", dir.toString());
        String before = System.setProperty(DataDirectory.AOT_PROCESSING, "true");
        try {
            process(environment);
        } finally {
            if (before == null) {
                System.clearProperty(DataDirectory.AOT_PROCESSING);
            } else {
                System.setProperty(DataDirectory.AOT_PROCESSING, before);
            }
        }

        assertThat(dir).doesNotExist();
    }

    private static void process(MockEnvironment environment) {
        DataDirectory dataDirectory = new DataDirectory();
        dataDirectory.setEnvironment(environment);
        dataDirectory.postProcessBeanFactory(new DefaultListableBeanFactory());
    }
}
