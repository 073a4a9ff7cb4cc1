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

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileProps;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Vert.x 5 in the same JVM, as a user would drive it and configured fairly: class-path resolving and
 * file caching off (with them on, every {@code props} also probes the class path), the worker pool
 * (which runs {@code executeBlocking} and {@code AsyncFile}'s reads) and the internal blocking pool
 * (which runs every {@code FileSystem} call) both sized like the aio engine it is compared with, one
 * event loop, and every {@code executeBlocking} unordered.
 *
 * <p>Every workload runs on one event-loop context: it submits from there and its callbacks come
 * back there, one at a time, as aio's come back to the polling thread. The {@code Vertx} instance is
 * made before the timed part and closed after it (a user keeps one for the life of the process);
 * its worker threads start on demand inside the timed part, as aio's do.
 *
 * <p>All Vert.x types stay inside this class: a harness asks {@link #unavailable()} first, so a
 * class path without Vert.x skips the peer with a reason instead of failing.
 */
final class VertxPeer implements AutoCloseable {

    /** An empty blocking task: the nop of Vert.x. */
    private static final Callable<Object> NOOP = () -> null;

    private final Vertx vertx;
    private final Context context;
    private final FileSystem fs;

    private VertxPeer(int threads) {
        VertxOptions o = new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(threads)
                .setInternalBlockingPoolSize(threads)
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false))
                // a submission loop of 1M requests holds the event loop for a while: no blocked-thread warnings
                .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1));
        this.vertx = Vertx.vertx(o);
        this.context = vertx.getOrCreateContext();
        this.fs = vertx.fileSystem();
    }

    /**
     * Why Vert.x cannot run here, or {@code null} when it can.
     *
     * @return the reason, for the table's n/a
     */
    static String unavailable() {
        if (Runtime.version().feature() < 11) {
            return "Vert.x 5 needs Java 11+";
        }
        try {
            Class.forName("io.vertx.core.Vertx", false, VertxPeer.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return "Vert.x is not on the class path (" + e + ")";
        }
    }

    /** The version of vertx-core on the class path, or "Vert.x 5". */
    static String version() {
        Package p = Vertx.class.getPackage();
        String v = p != null ? p.getImplementationVersion() : null;
        return "Vert.x " + (v != null ? v : "5");
    }

    /**
     * A fresh Vert.x with {@code threads} worker and internal blocking threads.
     *
     * @param threads the pool sizes
     * @return the peer; close it
     */
    static VertxPeer start(int threads) {
        return new VertxPeer(threads);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("Vert.x did not close: " + e);
        }
    }

    /** A workload running on the event loop; it completes {@code done} when finished. */
    @FunctionalInterface
    private interface OnLoop {
        void start(CompletableFuture<Void> done);
    }

    /** Runs the workload on the context and waits; returns the nanoseconds from start to done. */
    private long timed(OnLoop body) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        context.runOnContext(v -> {
            try {
                body.start(done);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.MINUTES);
        return System.nanoTime() - t0;
    }

    /** Counts results on the event loop (one thread): completes {@code done} after {@code n}, or at the first failure. */
    private static final class Counter<T> implements Handler<AsyncResult<T>> {
        private final long n;
        private final CompletableFuture<Void> done;
        long count;

        Counter(long n, CompletableFuture<Void> done) {
            this.n = n;
            this.done = done;
        }

        @Override
        public void handle(AsyncResult<T> r) {
            if (r.failed()) {
                done.completeExceptionally(r.cause());
            } else if (++count == n) {
                done.complete(null);
            }
        }
    }

    /**
     * {@code n} empty {@code executeBlocking(task, false)} submitted at once from the event loop.
     *
     * @return us per task
     */
    double nopAtOnce(int n) throws Exception {
        long ns = timed(done -> {
            Counter<Object> c = new Counter<>(n, done);
            for (int i = 0; i < n; i++) {
                context.executeBlocking(NOOP, false).onComplete(c);
            }
        });
        return ns / 1e3 / n;
    }

    /**
     * {@code n} empty unordered {@code executeBlocking}, at most {@code window} in flight: each
     * completion submits the next, as a group feeder does.
     *
     * @return us per task
     */
    double nopWindow(int n, int window) throws Exception {
        long ns = timed(done -> {
            int[] next = {0};
            Counter<Object> c = new Counter<>(n, done);
            Handler<AsyncResult<Object>> h = new Handler<>() {
                final Trampoline t = new Trampoline();

                @Override
                public void handle(AsyncResult<Object> r) {
                    c.handle(r);
                    t.run(() -> {
                        if (next[0] < n) {
                            next[0]++;
                            context.executeBlocking(NOOP, false).onComplete(this);
                        }
                    });
                }
            };
            for (; next[0] < Math.min(n, window); next[0]++) {
                context.executeBlocking(NOOP, false).onComplete(h);
            }
        });
        return ns / 1e3 / n;
    }

    /**
     * {@code FileSystem.props} (stat, links followed) of every path, at most {@code window} in flight.
     *
     * @param paths the files, as strings (made beforehand: Vert.x takes strings)
     * @return us per stat
     */
    double stat(String[] paths, int window) throws Exception {
        int n = paths.length;
        long ns = timed(done -> {
            int[] next = {0};
            Counter<FileProps> c = new Counter<>(n, done);
            Handler<AsyncResult<FileProps>> h = new Handler<>() {
                final Trampoline t = new Trampoline();

                @Override
                public void handle(AsyncResult<FileProps> r) {
                    if (r.succeeded() && r.result().size() < 0) {
                        done.completeExceptionally(new IllegalStateException("negative size"));
                        return;
                    }
                    c.handle(r);
                    t.run(() -> {
                        int i = next[0];
                        if (i < n) {
                            next[0] = i + 1;
                            fs.props(paths[i]).onComplete(this);
                        }
                    });
                }
            };
            for (; next[0] < Math.min(n, window); next[0]++) {
                fs.props(paths[next[0]]).onComplete(h);
            }
        });
        return ns / 1e3 / n;
    }

    /**
     * Runs a window's next submission without recursion: a Vert.x future already complete when
     * {@code onComplete} is called runs its handler at once, so a handler that submits the next
     * request from its own callback can nest one stack frame per request when they complete
     * quickly (cached reads overflowed the event loop's stack). A step asked for while one runs
     * (on the event loop, the only thread here) is run by that one's loop when it returns.
     */
    static final class Trampoline {
        private boolean running;
        private int owed;

        void run(Runnable step) {
            owed++;
            if (running) {
                return;
            }
            running = true;
            try {
                while (owed > 0) {
                    owed--;
                    step.run();
                }
            } finally {
                running = false;
            }
        }
    }

    /** Checks a block read into a Vert.x buffer: returns false when it is wrong. */
    @FunctionalInterface
    interface BlockCheck {
        boolean ok(long offset, byte first, int length);
    }

    /**
     * {@code AsyncFile.read(buffer, 0, offset, block)} at every offset, at most {@code window} in
     * flight, one reused buffer per slot; the file is opened before the timed part.
     *
     * @return us per read
     */
    double read(Path file, long[] offsets, int block, int window, BlockCheck check) throws Exception {
        AsyncFile f = fs.open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        try {
            int n = offsets.length;
            long ns = timed(done -> {
                int[] next = {0};
                Counter<Buffer> c = new Counter<>(n, done);
                for (int s = 0; s < Math.min(n, window); s++) {
                    Buffer buf = Buffer.buffer(block);
                    var slot = new Handler<AsyncResult<Buffer>>() {
                        final Trampoline t = new Trampoline();
                        long offset;

                        @Override
                        public void handle(AsyncResult<Buffer> r) {
                            if (r.succeeded() && !check.ok(offset, r.result().getByte(0), r.result().length())) {
                                done.completeExceptionally(new IllegalStateException("wrong block at " + offset));
                                return;
                            }
                            c.handle(r);
                            issue();
                        }

                        void issue() {
                            t.run(() -> {
                                int i = next[0];
                                if (i < n) {
                                    next[0] = i + 1;
                                    offset = offsets[i];
                                    f.read(buf, 0, offset, block).onComplete(this);
                                }
                            });
                        }
                    };
                    slot.issue();
                }
            });
            return ns / 1e3 / n;
        } finally {
            f.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * du: {@code readDir} of each directory and {@code lprops} of each entry it lists, recursing
     * into directories, every callback on the event loop.
     *
     * @return the sum of the sizes of the non-directories
     */
    long du(Path root) throws Exception {
        long[] bytes = {0};
        timed(done -> {
            long[] outstanding = {1};
            Runnable finished = () -> {
                if (--outstanding[0] == 0) {
                    done.complete(null);
                }
            };
            Handler<String> walk = new Handler<>() {
                @Override
                public void handle(String dir) {
                    fs.readDir(dir).onComplete(r -> {
                        if (r.failed()) {
                            done.completeExceptionally(r.cause());
                            return;
                        }
                        List<String> entries = r.result();
                        outstanding[0] += entries.size();
                        for (String e : entries) {
                            fs.lprops(e).onComplete(p -> {
                                if (p.failed()) {
                                    done.completeExceptionally(p.cause());
                                    return;
                                }
                                if (p.result().isDirectory()) {
                                    handle(e);
                                } else {
                                    bytes[0] += p.result().size();
                                    finished.run();
                                }
                            });
                        }
                        finished.run();
                    });
                }
            };
            walk.handle(root.toString());
        });
        return bytes[0];
    }

    /**
     * Round trips, one after the other: submit one request from the event loop, take the time in
     * its callback (on the event loop), submit the next.
     *
     * @param stat {@code null} for an empty {@code executeBlocking}, else the file {@code props} reads
     * @param out filled with nanoseconds per round trip
     */
    void roundTrips(String stat, long[] out) throws Exception {
        timed(done -> {
            Handler<Integer> next = new Handler<>() {
                long t0;

                @Override
                public void handle(Integer i) {
                    if (i == out.length) {
                        done.complete(null);
                        return;
                    }
                    t0 = System.nanoTime();
                    Future<?> f = stat == null ? context.executeBlocking(NOOP, false) : fs.props(stat);
                    f.onComplete(r -> {
                        out[i] = System.nanoTime() - t0;
                        if (r.failed()) {
                            done.completeExceptionally(r.cause());
                        } else {
                            handle(i + 1);
                        }
                    });
                }
            };
            next.handle(0);
        });
    }
}
