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

package org.ioaio.spring.boot.quickstart;

// README-BEGIN
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ioaio.spring.boot.AioTemplate;
import org.springframework.stereotype.Service;

@Service
public class Documents {

    private final AioTemplate aio;

    public Documents(AioTemplate aio) {
        this.aio = aio;
    }

    // Paths are relative to aio.root: the engine resolves them beneath it, on a worker thread.
    // Futures complete on aio's poller thread: keep stages short, never block in them.
    public CompletableFuture<String> read(String name) {
        return aio.load(name).thenApply(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    // A request someone waits for: priority 2 (IO::AIO's aioreq_pri, -4 lowest .. 4 highest).
    public CompletableFuture<List<Path>> list(String dir) {
        return aio.withPriority(2).readdir(dir);
    }

    // Background work at priority -2: it runs only while no higher-priority request waits.
    public CompletableFuture<Void> archive(String name) {
        return aio.withPriority(-2).move(name, "archive/" + name);
    }
}
// README-END
