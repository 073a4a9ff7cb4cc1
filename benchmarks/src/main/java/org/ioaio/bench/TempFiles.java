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

package org.ioaio.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A benchmark's scratch file or tree under the temporary directory: made once per run, deleted
 * when the run ends, and by a shutdown hook when the run is interrupted (Ctrl-C).
 */
final class TempFiles implements AutoCloseable {

    private final Path path;
    private final Thread hook;
    private boolean deleted;

    private TempFiles(Path path) {
        this.path = path;
        this.hook = new Thread(this::deleteQuietly, "delete " + path);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A new empty directory under java.io.tmpdir. */
    static TempFiles directory(String prefix) throws IOException {
        return new TempFiles(Files.createTempDirectory(prefix));
    }

    /** A new empty file under java.io.tmpdir. */
    static TempFiles file(String prefix, String suffix) throws IOException {
        return new TempFiles(Files.createTempFile(prefix, suffix));
    }

    /** The file or directory. */
    Path path() {
        return path;
    }

    @Override
    public void close() {
        deleteQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void deleteQuietly() {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            delete(path);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + path + ": " + e);
        }
    }

    /** Deletes a file, or a directory and everything under it (symlinks are not followed). */
    static void delete(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
