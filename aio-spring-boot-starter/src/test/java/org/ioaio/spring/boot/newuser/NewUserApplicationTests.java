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

package org.ioaio.spring.boot.newuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** A new user's application, configured only by application.yml, reads a file through the injected AioTemplate. */
@SpringBootTest
class NewUserApplicationTests {

    @Autowired
    private NewUserApplication.Documents documents;

    @Autowired
    private AioEngine engine;

    /** A file under aio.root is read by its relative name. */
    @Test
    void readsAFileThroughTheInjectedTemplate(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("hello.txt"), "hello, aio");
        String name = Path.of(System.getProperty("java.io.tmpdir")).toRealPath().relativize(file.toRealPath()).toString();
        assertThat(documents.read(name).get(30, TimeUnit.SECONDS)).isEqualTo("hello, aio");
    }

    /** application.yml configured the engine. */
    @Test
    void applicationYmlConfiguresTheEngine() {
        assertThat(engine.parallelism()).isEqualTo(8);
        assertThat(engine.maxIdle()).isEqualTo(4);
    }

    /** A name that climbs out of aio.root is refused. */
    @Test
    void refusesToLeaveTheRoot() {
        assertThatThrownBy(() -> documents.read("../etc/passwd").get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).error()).isEqualTo(Errno.EXDEV));
    }
}
