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

package org.ioaio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ioaio.AioEngine;
import org.ioaio.AioGroup;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's engine example, kept compiling and true: the block between the markers is the README's. */
@ExtendWith(EngineInvariants.class)
class ReadmeExampleTest {

    // The README's example runs as written and does what it says.
    @Test
    void readmeExampleWorks(@TempDir Path dir) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Path stale = Files.createFile(dir.resolve("stale.lock"));
        List<Path> files = List.of(hosts, passwd, dir);
        List<String> out = new ArrayList<>();

        // README-BEGIN
        try (AioEngine aio = AioEngine.builder().minParallel(8).build()) {
            // Callback form: runs inside pollCb(), on the polling thread, one callback at a time.
            aio.stat(hosts, res -> {
                if (res.ok()) {
                    out.add("size " + res.value().size());
                } else {
                    out.add("stat failed: " + Errno.describe(res.errno())); // IO::AIO's $!
                }
            });

            // Future form: completed inside pollCb(); fails with AioException (errno, operation, path).
            CompletableFuture<FileStat> st = aio.stat(passwd);

            // aioreq_pri: the calling thread's next request gets priority 4 (the highest).
            aio.pri(4);
            aio.unlink(stale, res -> out.add("unlinked: " + res.ok()));

            // A group fed on demand (IO::AIO::GRP): at most 2 members in flight; the feeder adds
            // one more whenever there is room; the group's callback runs once all are done.
            Iterator<Path> todo = files.iterator();
            AioGroup all = aio.group(res -> out.add("all done"));
            all.limit(2);
            all.feed(grp -> {
                if (todo.hasNext()) {
                    grp.add(aio.lstat(todo.next(), res -> { }));
                }
            });

            // Nothing completes until some thread polls: flush() waits for and processes everything.
            aio.flush();
            out.add("passwd is " + st.get().size() + " bytes");
        }
        // README-END

        assertThat(out).containsExactlyInAnyOrder("size 20", "unlinked: true", "all done", "passwd is 26 bytes");
        assertThat(stale).doesNotExist();
    }
}
