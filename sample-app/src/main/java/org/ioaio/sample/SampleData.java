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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ioaio.sample.jobs.Job;
import org.ioaio.sample.jobs.JobService;
import org.ioaio.spring.boot.AioTemplate;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Seeds an empty data directory with sample files on first start: {@code README.txt}, a few
 * documents under {@code docs/} and an 8 MiB {@code big.bin} for Range requests, written before the
 * web server accepts requests; then {@code library/}, {@code sample.seed-files} small text files in
 * 50 shelves, written through the engine as the first background job once the application is
 * ready (start-up does not wait for it, and the dashboard shows it). A directory that already holds
 * anything is left alone.
 */
@Component
public class SampleData implements InitializingBean {

    private static final Log LOG = LogFactory.getLog(SampleData.class);

    /** Shelves (subdirectories) of the library/ tree. */
    static final int SHELVES = 50;

    private static final String[] WORDS = {
        "request", "priority", "group", "feeder", "cancel", "poll", "callback", "queue", "thread", "stat",
        "readdir", "scandir", "sendfile", "fsync", "rename", "unlink", "mkdir", "rmtree", "copy", "move",
    };

    private final Path root;
    private final SampleProperties properties;
    private final JobService jobs;
    private volatile boolean seedLibrary;

    /** Seeds the template's root. */
    public SampleData(AioTemplate aio, SampleProperties properties, JobService jobs) {
        this.root = aio.root().orElseThrow(() -> new IllegalStateException("aio.root is not set"));
        this.properties = properties;
        this.jobs = jobs;
    }

    @Override
    public void afterPropertiesSet() {
        try {
            if (!properties.isSeed() || !isEmpty(root)) {
                LOG.info("Serving " + root + " (aio.root)");
                return;
            }
            seedTopLevel();
            seedLibrary = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seed the data directory " + root, e);
        }
    }

    /** Starts the job that writes library/. */
    @EventListener(ApplicationReadyEvent.class)
    public void seedLibrary() {
        if (seedLibrary) {
            seedLibrary = false;
            Job job = jobs.startSeed("library", properties.getSeedFiles(), SHELVES, SampleData::book);
            LOG.info("Seeding " + root.resolve("library") + " with " + properties.getSeedFiles()
                    + " files through the engine: job " + job.id() + " (watch it at /)");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private void seedTopLevel() throws IOException {
        Files.writeString(root.resolve("README.txt"), """
                This is the aio sample's data directory (aio.root). Everything the API serves
                lives here, and no request can reach outside it.

                  docs/      a few text files
                  big.bin    8 MiB of bytes, for Range requests
                  library/   many small files in shelves: start a du or a copy of it
                             from the dashboard and watch the queues move
                """, StandardCharsets.UTF_8);
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("hello.txt"), "Hello from aio!\n", StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("priorities.md"), """
                # Priorities

                Requests of API calls that a person waits for run at sample.priority.interactive (2);
                background jobs run at sample.priority.background (-2). The engine always serves
                the highest non-empty queue first, so a listing stays fast while a big copy runs.
                """, StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("groups.md"), """
                # Groups and feeders

                A job walks a tree with scandir and lstat inside one IO::AIO group: the group's
                feeder adds the next request whenever one finishes, so at most sample.jobs.parallel
                requests of a job are in flight, and cancelling the job cancels them all.
                """, StandardCharsets.UTF_8);
        byte[] big = new byte[8 << 20];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        LOG.info("Seeded " + root + " (aio.root) with README.txt, docs/ and big.bin");
    }

    /** The text of library book {@code i}: 100 to 1000 words, the same on every run. */
    static byte[] book(int i) {
        Random random = new Random(i);
        StringBuilder text = new StringBuilder();
        int words = 100 + random.nextInt(900);
        for (int w = 0; w < words; w++) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(w % 12 == 11 ? '\n' : ' ');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
