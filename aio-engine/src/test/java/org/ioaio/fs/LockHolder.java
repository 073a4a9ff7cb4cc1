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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;

/**
 * The second process of the lock tests: {@code LockHolder <file> <nio|native> <ofd|process> <start> <length>}
 * opens the file with its own engine, takes an exclusive lock on the range without waiting, prints
 * {@code LOCKED <pid>} (or {@code FAILED <errno>}), then releases it when a line arrives on stdin,
 * prints {@code UNLOCKED} and exits.
 */
public final class LockHolder {

    private LockHolder() {}

    private static <T> T get(AioEngine aio, org.ioaio.AioFuture<T> f) {
        aio.flush();
        return f.join();
    }

    /**
     * Runs the holder.
     *
     * @param args file, backend, lock kind, start, length
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        AioBackend backend = args[1].equals("nio") ? AioBackend.NIO : AioBackend.NATIVE;
        boolean process = args[2].equals("process");
        long start = Long.parseLong(args[3]);
        long length = Long.parseLong(args[4]);
        try (AioEngine aio = AioEngine.builder().minParallel(1).backend(backend).build()) {
            AioFile f = get(aio, aio.open(file, AioConstants.O_RDWR, 0));
            try {
                get(aio, aio.lock(f, start, length, true, false, process));
                System.out.println("LOCKED " + ProcessHandle.current().pid());
            } catch (Exception e) {
                System.out.println("FAILED " + e);
                return;
            }
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            get(aio, aio.unlock(f, start, length, process));
            System.out.println("UNLOCKED");
            System.out.flush();
        }
    }
}
