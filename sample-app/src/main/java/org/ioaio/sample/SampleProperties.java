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

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The sample's own settings ({@code sample.*}); the data directory itself is {@code aio.root}.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

    /** Whether to put sample files into the data directory when it is empty at start-up. */
    private boolean seed = true;

    /** How many files the seeded library/ tree holds: enough for a du or a copy worth watching. */
    private int seedFiles = 10000;

    /** The largest upload accepted; a bigger body is refused with 413 and leaves nothing behind. */
    private DataSize maxUploadSize = DataSize.ofGigabytes(1);

    private final Priority priority = new Priority();

    private final Jobs jobs = new Jobs();

    /** Whether an empty data directory is seeded. */
    public boolean isSeed() {
        return seed;
    }

    /** Sets whether an empty data directory is seeded. */
    public void setSeed(boolean seed) {
        this.seed = seed;
    }

    /** The number of files in the seeded library/ tree. */
    public int getSeedFiles() {
        return seedFiles;
    }

    /** Sets the number of files in the seeded library/ tree. */
    public void setSeedFiles(int seedFiles) {
        this.seedFiles = seedFiles;
    }

    /** The largest upload accepted. */
    public DataSize getMaxUploadSize() {
        return maxUploadSize;
    }

    /** Sets the largest upload accepted. */
    public void setMaxUploadSize(DataSize maxUploadSize) {
        this.maxUploadSize = maxUploadSize;
    }

    /** The request priorities. */
    public Priority getPriority() {
        return priority;
    }

    /** The background jobs' settings. */
    public Jobs getJobs() {
        return jobs;
    }

    /** {@code sample.priority.*}: IO::AIO priorities (-4..4) of the two kinds of work. */
    public static class Priority {

        /** Priority of the requests of API calls a user waits for (listing, metadata, download, upload, du). */
        private int interactive = 2;

        /** Priority of the requests of background jobs: served only when no interactive request waits. */
        private int background = -2;

        /** The interactive priority. */
        public int getInteractive() {
            return interactive;
        }

        /** Sets the interactive priority. */
        public void setInteractive(int interactive) {
            this.interactive = interactive;
        }

        /** The background priority. */
        public int getBackground() {
            return background;
        }

        /** Sets the background priority. */
        public void setBackground(int background) {
            this.background = background;
        }
    }

    /** {@code sample.jobs.*}: background jobs. */
    public static class Jobs {

        /** Requests one job keeps in flight at most (the limit of its IO::AIO group). */
        private int parallel = 8;

        /** Finished jobs remembered for GET /api/jobs; older ones are forgotten. */
        private int retained = 50;

        /** The per-job request limit. */
        public int getParallel() {
            return parallel;
        }

        /** Sets the per-job request limit. */
        public void setParallel(int parallel) {
            this.parallel = parallel;
        }

        /** The number of finished jobs remembered. */
        public int getRetained() {
            return retained;
        }

        /** Sets the number of finished jobs remembered. */
        public void setRetained(int retained) {
            this.retained = retained;
        }
    }
}
