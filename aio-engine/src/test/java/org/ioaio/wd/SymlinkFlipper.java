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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread that replaces a directory by a symlink and back, over and over, until closed: the
 * directory is renamed aside, a symlink put at its name (to each of the targets in turn), removed,
 * and the directory renamed back. For races against requests that resolve through that name.
 */
public final class SymlinkFlipper implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger flips = new AtomicInteger();
    private final Thread thread;

    private SymlinkFlipper(Path dir, Path[] targets) {
        thread = new Thread(() -> {
            try {
                Path parked = dir.resolveSibling(dir.getFileName() + ".parked");
                for (int i = 0; !stop.get(); i++) {
                    Files.move(dir, parked);
                    Files.createSymbolicLink(dir, targets[i % targets.length]);
                    Files.delete(dir);
                    Files.move(parked, dir);
                    flips.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-flipper");
        thread.start();
    }

    /**
     * Starts flipping {@code dir}.
     *
     * @param dir the directory
     * @param targets what the symlink leads to, in turn
     * @return the running flipper
     */
    public static SymlinkFlipper start(Path dir, Path... targets) {
        return new SymlinkFlipper(dir, targets);
    }

    /**
     * How many times the directory was a symlink so far.
     *
     * @return the count
     * @throws AssertionError if the flipper failed (it flips no more)
     */
    public int flips() {
        if (failure.get() != null) {
            throw new AssertionError("the flipper failed", failure.get());
        }
        return flips.get();
    }

    /** Stops the flipping (the directory is back at its name) and fails if the flipper failed. */
    @Override
    public void close() {
        stop.set(true);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // wait for it all the same: the directory must be back
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new AssertionError("the flipper failed", failure.get());
        }
    }
}
