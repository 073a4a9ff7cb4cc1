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
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.ioaio.AioEngine;
import org.ioaio.sample.jobs.Job;
import org.ioaio.sample.jobs.JobService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** First start: a data directory that does not exist yet is made and seeded, library/ through the engine as a job. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "sample.seed=true", "sample.seed-files=120", "aio.shutdown.grace-period=5s" })
class SeedingTests {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("aio-sample-seed").resolve("not-yet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("aio.root", DIR::toString);
    }

    @Autowired
    private JobService jobs;

    @Autowired
    private AioEngine engine;

    /** The missing directory was made, README.txt, docs/ and big.bin written, and the seed job writes library/ in 50 shelves. */
    @Test
    void seedsAnEmptyDataDirectory() throws IOException {
        assertThat(DIR.resolve("README.txt")).isRegularFile();
        assertThat(DIR.resolve("docs/hello.txt")).hasContent("Hello from aio!");
        assertThat(Files.size(DIR.resolve("big.bin"))).isEqualTo(8 << 20);
        Job seed = jobs.list().stream().filter(j -> j.view().op().equals("seed")).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(seed::isFinished);
        assertThat(seed.view().state()).isEqualTo("succeeded");
        assertThat(seed.view().done()).isEqualTo(120);
        try (Stream<Path> files = Files.walk(DIR.resolve("library"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(120);
        }
        assertThat(Files.readAllBytes(DIR.resolve("library/shelf-07/book-00007.txt"))).isEqualTo(SampleData.book(7));
        await().atMost(Duration.ofSeconds(60)).until(() -> engine.nreqs() == 0);
    }
}
