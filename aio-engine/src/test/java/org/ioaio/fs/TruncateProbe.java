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

package org.ioaio.fs;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;

/**
 * Run by {@link PosixAnswersTest} in a child JVM as an unprivileged user (root may open any FIFO for
 * reading): truncates {@code dir/name} on each backend given, by path and through a working
 * directory on {@code dir}, and prints "BACKEND plain=errno" and "BACKEND wd=errno" (0 for success).
 */
public final class TruncateProbe {

    private TruncateProbe() {}

    /**
     * Runs the truncates.
     *
     * @param args the directory, the name in it, then backend names ({@code NIO}, {@code NATIVE})
     * @throws Exception if the working directory cannot be opened
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path name = Path.of(args[1]);
        for (int i = 2; i < args.length; i++) {
            AioBackend backend = AioBackend.valueOf(args[i]);
            try (AioEngine aio = AioEngine.builder().minParallel(1).backend(backend).build();
                    AioWorkingDirectory wd = AioWorkingDirectory.open(dir)) {
                System.out.println(backend + " plain=" + errno(aio, aio.truncate(dir.resolve(name), 0)));
                System.out.println(backend + " wd=" + errno(aio, aio.in(wd).truncate(name, 0)));
            }
        }
    }

    private static int errno(AioEngine aio, AioFuture<Void> f) {
        aio.flush();
        try {
            f.join();
            return 0;
        } catch (CompletionException e) {
            return ((AioException) e.getCause()).errno();
        }
    }
}
