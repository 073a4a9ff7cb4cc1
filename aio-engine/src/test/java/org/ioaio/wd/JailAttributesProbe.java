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

package org.ioaio.wd;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.Errno;

/**
 * Run by {@link JailAttributesTest} in a child JVM as user nobody (a jail's attribute changes,
 * where permissions count): prints {@code BACKEND call=outcome} per line.
 */
public final class JailAttributesProbe {

    private JailAttributesProbe() {}

    /**
     * Changes the attributes of the files in a jail of {@code args[0]}.
     *
     * @param args the jail's directory, then backend names ({@code NIO}, {@code NATIVE})
     * @throws AioException if the jail cannot be opened
     */
    public static void main(String[] args) throws AioException {
        Path jail = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            AioBackend backend = AioBackend.valueOf(args[i]);
            try (AioEngine aio = AioEngine.builder().backend(backend).build(); AioWorkingDirectory j = AioWorkingDirectory.jail(jail)) {
                AioEngine in = aio.in(j);
                print(aio, backend, "chmod rw", in.chmod(Path.of("rw"), 0640));
                print(aio, backend, "utime rw", in.utime(Path.of("rw"), 100.0, 200.0));
                print(aio, backend, "chmod ro", in.chmod(Path.of("ro"), 0640));
                print(aio, backend, "utime ro", in.utime(Path.of("ro"), 100.0, 200.0));
                print(aio, backend, "chmod dir", in.chmod(Path.of("dir"), 0700));
                print(aio, backend, "utime dir", in.utime(Path.of("dir"), 100.0, 200.0));
            }
        }
    }

    private static void print(AioEngine aio, AioBackend backend, String call, AioFuture<?> f) {
        aio.flush();
        String outcome;
        try {
            f.join();
            outcome = "0";
        } catch (CompletionException e) {
            outcome = e.getCause() instanceof AioException a ? String.valueOf(Errno.of(a.errno())) : e.getCause().toString();
        }
        System.out.println(backend + " " + call + "=" + outcome);
    }
}
