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

import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_WRONLY;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;

/**
 * Run by {@link BadInputTest} in a child JVM as an unprivileged user (root bypasses permission
 * bits): performs each "operation path" pair of its arguments through an engine, in the callback
 * form and then the future form, and prints "operation=callbackErrno/futureErrno" per line (0 for
 * success; a file opened is closed at once).
 */
public final class EngineEaccesProbe {

    private EngineEaccesProbe() {}

    /**
     * Runs the operations.
     *
     * @param args pairs of an operation (open-read, open-write, create, stat, lstat, unlink, mkdir,
     *     rmdir, chmod, chown, utime, truncate, rename, slurp, pathsync, realpath) and a path
     */
    public static void main(String[] args) {
        try (AioEngine aio = AioEngine.builder().minParallel(1).build()) {
            for (int i = 0; i + 1 < args.length; i += 2) {
                String op = args[i];
                Path p = Path.of(args[i + 1]);
                int viaCallback = callbackErrno(aio, op, p);
                int viaFuture = futureErrno(aio, op, p);
                System.out.println(op + "=" + viaCallback + "/" + viaFuture);
            }
        }
    }

    private static int callbackErrno(AioEngine aio, String op, Path p) {
        AtomicInteger errno = new AtomicInteger(-1);
        Consumer<AioFile> closer = f -> {
            if (f != null) {
                try {
                    f.close();
                } catch (AioException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        AioCallback<Object> cb = r -> {
            errno.set(r.errno());
            if (r.value() instanceof AioFile f) {
                closer.accept(f);
            }
        };
        submitCallback(aio, op, p, cb);
        aio.flush();
        return errno.get();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void submitCallback(AioEngine aio, String op, Path p, AioCallback cb) {
        switch (op) {
            case "open-read" -> aio.open(p, O_RDONLY, 0, cb);
            case "open-write" -> aio.open(p, O_WRONLY, 0, cb);
            case "create" -> aio.open(p, O_CREAT | O_WRONLY, 0644, cb);
            case "stat" -> aio.stat(p, cb);
            case "lstat" -> aio.lstat(p, cb);
            case "unlink" -> aio.unlink(p, cb);
            case "mkdir" -> aio.mkdir(p, 0755, cb);
            case "rmdir" -> aio.rmdir(p, cb);
            case "chmod" -> aio.chmod(p, 0777, cb);
            case "chown" -> aio.chown(p, 65534, null, cb);
            case "utime" -> aio.utime(p, 1.0, 2.0, cb);
            case "truncate" -> aio.truncate(p, 0, cb);
            case "rename" -> aio.rename(p, p.resolveSibling(p.getFileName() + ".renamed"), cb);
            case "slurp" -> aio.slurp(p, 0, 0, cb);
            case "pathsync" -> aio.pathsync(p, cb);
            case "realpath" -> aio.realpath(p, cb);
            default -> throw new IllegalArgumentException(op);
        }
    }

    private static int futureErrno(AioEngine aio, String op, Path p) {
        Supplier<AioFuture<?>> submit = switch (op) {
            case "open-read" -> () -> aio.open(p, O_RDONLY, 0);
            case "open-write" -> () -> aio.open(p, O_WRONLY, 0);
            case "create" -> () -> aio.open(p, O_CREAT | O_WRONLY, 0644);
            case "stat" -> () -> aio.stat(p);
            case "lstat" -> () -> aio.lstat(p);
            case "unlink" -> () -> aio.unlink(p);
            case "mkdir" -> () -> aio.mkdir(p, 0755);
            case "rmdir" -> () -> aio.rmdir(p);
            case "chmod" -> () -> aio.chmod(p, 0777);
            case "chown" -> () -> aio.chown(p, 65534, null);
            case "utime" -> () -> aio.utime(p, 1.0, 2.0);
            case "truncate" -> () -> aio.truncate(p, 0);
            case "rename" -> () -> aio.rename(p, p.resolveSibling(p.getFileName() + ".renamed"));
            case "slurp" -> () -> aio.slurp(p, 0, 0);
            case "pathsync" -> () -> aio.pathsync(p);
            case "realpath" -> () -> aio.realpath(p);
            default -> throw new IllegalArgumentException(op);
        };
        AioFuture<?> f = submit.get();
        aio.flush();
        try {
            Object v = f.join();
            if (v instanceof AioFile file) {
                file.close();
            }
            return 0;
        } catch (CompletionException e) {
            if (e.getCause() instanceof AioException a) {
                if (!a.operation().isEmpty() && !String.valueOf(p).equals(a.path())) {
                    return -2; // the exception does not name the path
                }
                return a.errno();
            }
            throw e;
        } catch (AioException e) {
            throw new IllegalStateException(e);
        }
    }
}
