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

package org.ioaio.sample.jobs;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioRequest;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.sample.AioViews;
import org.ioaio.sample.SampleProperties;
import org.ioaio.sample.api.ApiPath;
import org.ioaio.sample.api.ApiProblem;
import org.ioaio.spring.boot.AioEngineLifecycle;
import org.ioaio.spring.boot.AioProperties;
import org.ioaio.spring.boot.AioTemplate;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Background jobs over the data directory, and du. Every job is a chain of phases; each phase is
 * one {@link WorkGroup} (an IO::AIO group with a feeder) at the background priority, so cancelling
 * a job cancels exactly the engine requests of its current phase, and the job ends only when none
 * of its requests is left in the engine.
 *
 * <ul>
 *   <li><b>du</b>: a {@link TreeWalk} (scandir + lstat) summing sizes.
 *   <li><b>copy</b>: a walk of the source, then the directories made (in order, one at a time)
 *       and the files copied ({@code aio_copy} then {@code aio_pathsync}, {@code parallel}
 *       requests at a time) into a hidden {@code .aio-copy-*.part} sibling of the destination,
 *       which is renamed into place ({@code RENAME_NOREPLACE}) at the end, its parent directory
 *       synced: the destination appears complete or not at all, its files already synced. A
 *       cancelled or failed copy removes the hidden tree before the job ends.
 *   <li><b>move</b>: {@code aio_rename2} with {@code RENAME_NOREPLACE}; across file systems
 *       (EXDEV) a copy, then a delete of the source.
 *   <li><b>delete</b>: a walk that never follows a symbolic link, the non-directories unlinked,
 *       then the directories removed deepest first. Cancelling stops it; what was removed stays removed.
 * </ul>
 *
 * Checks a user waits for (the source exists, the destination does not) run before the job is
 * created, at the interactive priority, and fail as RFC 9457 problems.
 */
@Service
public class JobService implements SmartLifecycle {

    private static final Log LOG = LogFactory.getLog(JobService.class);

    private final AioViews views;
    private final AioTemplate interactive;
    private final AioTemplate background;
    private final AioEngine engine;
    private final Path root;
    private final int parallel;
    private final int retained;
    private final Duration gracePeriod;
    private final AtomicLong ids = new AtomicLong();
    /** Jobs by id, oldest first. Guarded by itself. */
    private final Map<Long, Job> jobs = new LinkedHashMap<>();

    /** The jobs of the auto-configured engine. */
    public JobService(AioViews views, SampleProperties properties, AioProperties aio) {
        this.views = views;
        this.interactive = views.interactive();
        this.background = views.background();
        this.engine = views.template().view();
        this.root = views.template().root().orElseThrow(() -> new IllegalStateException("aio.root is not set"));
        this.parallel = Math.max(1, properties.getJobs().getParallel());
        this.retained = Math.max(1, properties.getJobs().getRetained());
        this.gracePeriod = aio.getShutdown().getGracePeriod();
    }

    /**
     * What {@code POST /api/jobs} takes.
     *
     * @param op du, copy, move or delete
     * @param src the path to work on, relative to the data directory ({@code ""} for all of it: du and copy only)
     * @param dst the destination of a copy or a move; it must not exist, its parent must
     */
    public record JobRequest(@Nullable String op, @Nullable String src, @Nullable String dst) {
    }

    // ------------------------------------------------------------------------------------------
    // The registry
    // ------------------------------------------------------------------------------------------

    /** Every job remembered, newest first. */
    public List<Job> list() {
        synchronized (jobs) {
            List<Job> all = new ArrayList<>(jobs.values());
            java.util.Collections.reverse(all);
            return all;
        }
    }

    /** A job by id. */
    public Optional<Job> find(long id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    private Job register(String op, String src, @Nullable String dst) {
        Job job = new Job(ids.incrementAndGet(), op, src, dst, views.backgroundPriority());
        synchronized (jobs) {
            jobs.put(job.id, job);
            int finished = 0;
            for (Job j : jobs.values()) {
                if (j.isFinished()) {
                    finished++;
                }
            }
            for (Iterator<Job> it = jobs.values().iterator(); it.hasNext() && finished > retained;) {
                if (it.next().isFinished()) {
                    it.remove();
                    finished--;
                }
            }
        }
        return job;
    }

    private void launch(Job job, CompletableFuture<?> work) {
        work.whenComplete((v, error) -> {
            job.finish(error, root);
            Job.View view = job.view();
            if (view.error() != null) {
                LOG.info("job " + job.id + " (" + job.op + " " + job.src + ") failed: " + view.error());
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // Creating jobs: checks first, at the interactive priority
    // ------------------------------------------------------------------------------------------

    /**
     * Checks a job request and starts the job.
     *
     * @param request what to do
     * @return the started job, or an {@link ApiProblem}
     */
    public Mono<Job> create(JobRequest request) {
        String op = request.op() == null ? "" : request.op();
        return switch (op) {
            case "du" -> {
                String src = ApiPath.check(require(request.src(), "src"));
                yield stat(src).map(st -> startDu(src));
            }
            case "copy" -> {
                String src = ApiPath.check(require(request.src(), "src"));
                String dst = destination(request.dst());
                yield stat(src).flatMap(st -> {
                    if (!st.isDirectory() && !st.isRegularFile()) {
                        return Mono.error(ApiProblem.conflict("not-copyable", "Not a file or directory",
                                "Only regular files and directories can be copied: " + src, src));
                    }
                    if (st.isDirectory() && ApiPath.isWithin(dst, src)) {
                        return Mono.error(ApiProblem.conflict("into-itself", "Destination inside the source",
                                "A directory cannot be copied into itself: " + dst + " is inside " + src, dst));
                    }
                    return checkDestination(dst).then(Mono.fromSupplier(() -> startCopy(src, dst, st.isDirectory())));
                });
            }
            case "move" -> {
                String src = nonRoot(ApiPath.check(require(request.src(), "src")), "moved");
                String dst = destination(request.dst());
                yield lstat(src).flatMap(st -> {
                    if (st.isDirectory() && ApiPath.isWithin(dst, src)) {
                        return Mono.error(ApiProblem.conflict("into-itself", "Destination inside the source",
                                "A directory cannot be moved into itself: " + dst + " is inside " + src, dst));
                    }
                    return checkDestination(dst).then(Mono.fromSupplier(() -> startMove(src, dst)));
                });
            }
            case "delete" -> {
                String src = nonRoot(ApiPath.check(require(request.src(), "src")), "deleted");
                yield lstat(src).map(st -> startDelete(src, st));
            }
            default -> throw ApiProblem.badRequest("unknown-op", "Unknown job",
                    "op must be one of du, copy, move, delete; got " + (request.op() == null ? "nothing" : "'" + op + "'"), null);
        };
    }

    private static String require(@Nullable String value, String name) {
        if (value == null) {
            throw ApiProblem.badRequest("missing-field", "Missing field", name + " is required", null);
        }
        return value;
    }

    private static String destination(@Nullable String dst) {
        String d = ApiPath.check(require(dst, "dst"));
        if (d.isEmpty()) {
            throw ApiProblem.badRequest("root", "The data directory itself",
                    "dst must name a new entry inside the data directory, not the data directory itself", d);
        }
        return d;
    }

    private static String nonRoot(String src, String what) {
        if (src.isEmpty()) {
            throw ApiProblem.badRequest("root", "The data directory itself", "The data directory itself cannot be " + what, src);
        }
        return src;
    }

    private Mono<FileStat> stat(String rel) {
        return Mono.fromFuture(() -> interactive.stat(ApiPath.fs(rel)), false).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    private Mono<FileStat> lstat(String rel) {
        return Mono.fromFuture(() -> interactive.lstat(ApiPath.fs(rel)), false).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /** The destination must not exist; its parent must be a directory. */
    private Mono<Void> checkDestination(String dst) {
        String parent = ApiPath.parent(dst);
        return Mono.fromFuture(() -> interactive.lstat(ApiPath.fs(dst)), false)
                .flatMap(st -> Mono.<Void>error(ApiProblem.conflict("exists", "Destination exists",
                        "The destination already exists: " + dst, dst)))
                .onErrorResume(e -> e instanceof AioException a && a.errno() == Errno.ENOENT.code(), e -> stat(parent)
                        .flatMap(ps -> ps.isDirectory() ? Mono.<Void>empty() : Mono.error(ApiProblem.of(
                                new AioException(Errno.ENOTDIR.code(), "stat", parent), parent))))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, dst));
    }

    // ------------------------------------------------------------------------------------------
    // Starting jobs (paths already checked)
    // ------------------------------------------------------------------------------------------

    /**
     * A checked path as the jailed engine view takes it: relative to the data directory ({@code .}
     * for all of it). The engine resolves it beneath the root on a worker when each request runs; a
     * symbolic link leading out (even one swapped in meanwhile) fails that request with EXDEV.
     */
    private static Path rel(String rel) {
        return Path.of(rel.isEmpty() ? "." : rel);
    }

    private WorkGroup group(Job job, int limit) {
        return job.enter(new WorkGroup(background, views.backgroundPriority(), limit));
    }

    /**
     * Starts a du job on a checked path: no request is made before the job runs.
     *
     * @param src a path {@link ApiPath#check checked} and relative to the data directory
     * @return the job
     */
    public Job startDu(String src) {
        Path top = rel(src);
        Job job = register("du", src, null);
        job.phase("scanning", 0);
        Usage.Counter counter = new Usage.Counter();
        WorkGroup g = group(job, parallel);
        launch(job, new TreeWalk(g, top, true, counter, job.total, job.done).run()
                .thenRun(() -> job.result(counter.usage(src))));
        return job;
    }

    /**
     * A du at the interactive priority, for {@code GET /api/du}: cancelling the future cancels its requests.
     *
     * @param rel a checked path
     * @return the usage
     */
    public CompletableFuture<Usage> du(String rel) {
        Path top = rel(rel);
        Usage.Counter counter = new Usage.Counter();
        WorkGroup g = new WorkGroup(interactive, views.interactivePriority(), parallel);
        CompletableFuture<Usage> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                g.cancel();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        new TreeWalk(g, top, true, counter, new AtomicLong(), new AtomicLong()).run().whenComplete((v, error) -> {
            if (error != null) {
                result.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            } else {
                result.complete(counter.usage(rel));
            }
        });
        return result;
    }

    private Job startCopy(String src, String dst, boolean directory) {
        Path from = rel(src);
        Job job = register("copy", src, dst);
        launch(job, copy(job, src, from, dst, directory));
        return job;
    }

    private Job startMove(String src, String dst) {
        Job job = register("move", src, dst);
        launch(job, move(job, src, dst));
        return job;
    }

    private Job startDelete(String src, FileStat lstat) {
        Job job = register("delete", src, null);
        launch(job, delete(job, src, lstat.isDirectory()));
        return job;
    }

    // ------------------------------------------------------------------------------------------
    // The phases
    // ------------------------------------------------------------------------------------------

    /** What a walk found: directories parents first, non-directories with their lstat. */
    private static final class Tree implements TreeWalk.Visitor {

        final List<Path> dirs = new ArrayList<>();
        final List<Path> files = new ArrayList<>();
        final List<FileStat> stats = new ArrayList<>();
        long bytes;

        @Override
        public void directory(Path rel) {
            dirs.add(rel);
        }

        @Override
        public void file(Path rel, FileStat stat) {
            files.add(rel);
            stats.add(stat);
            if (stat.isRegularFile()) {
                bytes += stat.size();
            }
        }
    }

    /** Reads the tree (scandir + lstat, nothing changed) for the job's totals. */
    private CompletableFuture<Tree> scan(Job job, Path top, boolean followTop) {
        Tree tree = new Tree();
        job.phase("scanning", 0);
        return new TreeWalk(group(job, parallel), top, followTop, tree, job.total, job.done).run().thenApply(v -> tree);
    }

    /**
     * Copies {@code src} to {@code dst} (paths relative to the data directory) through a hidden
     * sibling of {@code dst}: a directory with the engine's {@code copyTree} (each file opened
     * relative to its directory, links never followed), a file with {@code aio_copy} and {@code
     * aio_pathsync}; then the copy is synced, renamed into place and its parent synced.
     */
    private CompletableFuture<Void> copy(Job job, String src, Path srcAbs, String dst, boolean directory) {
        String tmp = ApiPath.join(ApiPath.parent(dst), ApiPath.TEMP_PREFIX + "copy-" + job.id + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ApiPath.TEMP_SUFFIX);
        CompletableFuture<Void> work;
        if (!directory) {
            job.phase("copying", 1);
            WorkGroup files = group(job, 1);
            files.addCall(() -> background.copy(ApiPath.fs(src), ApiPath.fs(tmp)),
                    () -> files.addCall(() -> background.pathsync(ApiPath.fs(tmp)), () -> job.done.incrementAndGet()));
            work = files.run();
        } else {
            work = scan(job, srcAbs, true).thenCompose(tree -> {
                if (job.cancelRequested()) {
                    return CompletableFuture.completedFuture(null);
                }
                // One request for the whole tree: copyTree reports no progress of its own, so done
                // jumps to total when it finishes.
                long entries = tree.dirs.size() + tree.files.size();
                job.phase("copying", entries);
                job.bytesTotal.set(tree.bytes);
                WorkGroup copying = group(job, 1);
                copying.addCall(() -> background.copyTree(ApiPath.fs(src), ApiPath.fs(tmp)), () -> {
                    job.done.set(entries);
                    job.bytesDone.set(tree.bytes);
                });
                return copying.run().thenCompose(v -> job.cancelRequested()
                        ? CompletableFuture.completedFuture(null)
                        : dropLinksLeadingOut(job, tmp, dst).thenCompose(w -> syncfs(tmp)));
            });
        }
        return work.thenCompose(v -> {
            if (job.cancelRequested()) {
                throw new CompletionException(new java.util.concurrent.CancellationException());
            }
            job.phase("finishing", 1);
            // Into place without replacing anything, then the directory synced so the rename is durable too.
            return background.rename2(ApiPath.fs(tmp), ApiPath.fs(dst), AioConstants.RENAME_NOREPLACE)
                    .thenCompose(renamed -> background.pathsync(ApiPath.fs(ApiPath.parent(dst))));
        }).handle((v, error) -> error).thenCompose(error -> {
            if (error == null) {
                job.done.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }
            // Cancelled or failed: remove the hidden partial copy before the job ends.
            job.phase("cleaning up", 1);
            CompletableFuture<Void> cleanup = directory ? background.rmtree(ApiPath.fs(tmp)) : background.unlink(ApiPath.fs(tmp));
            return cleanup.handle((v, e) -> {
                if (e != null && !(unwrap(e) instanceof AioException a && a.errno() == Errno.ENOENT.code())) {
                    LOG.warn("job " + job.id + ": could not remove the partial copy " + tmp, e);
                }
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            });
        });
    }

    /**
     * The copy's symbolic links that would lead out of the data directory from where the copy
     * will be are removed (counted as skipped): a walk of the hidden copy, which only this job
     * writes, its links read and, if they lead out, unlinked (never followed).
     */
    private CompletableFuture<Void> dropLinksLeadingOut(Job job, String tmp, String dst) {
        Tree copied = new Tree();
        return new TreeWalk(group(job, parallel), rel(tmp), false, copied, new AtomicLong(), new AtomicLong()).run()
                .thenCompose(v -> {
                    WorkGroup links = group(job, parallel);
                    for (int i = 0; i < copied.files.size(); i++) {
                        if (!copied.stats.get(i).isSymbolicLink()) {
                            continue;
                        }
                        String rel = copied.files.get(i).toString();
                        String link = ApiPath.join(tmp, rel);
                        Path parentAtDst = Path.of(ApiPath.join(dst, rel)).getParent();
                        links.addCall(() -> background.readlink(link).thenCompose(content -> {
                            Path target = Path.of(content);
                            // Under the jail a link stays inside only if it is relative and never climbs above the root.
                            Path reaches = (parentAtDst == null ? target : parentAtDst.resolve(target)).normalize();
                            if (!target.isAbsolute() && !reaches.startsWith("..")) {
                                return CompletableFuture.completedFuture(null);
                            }
                            job.skipped.incrementAndGet();
                            return background.unlink(link);
                        }), () -> { });
                    }
                    return links.run();
                });
    }

    /** Syncs the file system of the copy (open, {@code aio_syncfs}, close): every copied file is on disk before the rename. */
    private CompletableFuture<Void> syncfs(String dir) {
        return background.open(ApiPath.fs(dir), AioConstants.O_RDONLY | AioConstants.O_DIRECTORY, 0)
                .thenCompose(file -> background.syncfs(file)
                        .handle((v, e) -> e)
                        .thenCompose(e -> background.close(file).thenRun(() -> {
                            if (e != null) {
                                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                            }
                        })));
    }

    private CompletableFuture<Void> move(Job job, String src, String dst) {
        job.phase("moving", 1);
        WorkGroup g = group(job, 1);
        AtomicLong crossDevice = new AtomicLong();
        g.add(() -> {
            CompletableFuture<Void> f = background.rename2(ApiPath.fs(src), ApiPath.fs(dst), AioConstants.RENAME_NOREPLACE);
            f.whenComplete((v, error) -> {
                Throwable e = error == null ? null : unwrap(error);
                if (e == null) {
                    job.done.incrementAndGet();
                } else if (e instanceof AioException a && a.errno() == Errno.EXDEV.code() && a.getCause() == null) {
                    crossDevice.set(1);
                } else {
                    g.fail(e);
                }
            });
            AioRequest request = AioTemplate.requestOf(f);
            return request != null ? request : engine.nop(r -> { });
        });
        return g.run().thenCompose(v -> {
            if (crossDevice.get() == 0 || job.cancelRequested()) {
                return CompletableFuture.completedFuture(null);
            }
            // Another file system inside the data directory: copy, then delete the source.
            return background.lstat(ApiPath.fs(src)).thenCompose(st -> copy(job, src, rel(src), dst, st.isDirectory())
                    .thenCompose(w -> job.cancelRequested() ? CompletableFuture.completedFuture(null) : delete(job, src, st.isDirectory())));
        });
    }

    /**
     * Deletes {@code path} (relative to the data directory): a file with {@code aio_unlink}, a
     * directory with the engine's {@code rmtree} (relative to the directories it holds open,
     * never following a link); the tree is read first for the job's total.
     */
    private CompletableFuture<Void> delete(Job job, String path, boolean directory) {
        if (!directory) {
            job.phase("removing", 1);
            WorkGroup g = group(job, 1);
            g.addCall(() -> background.unlink(ApiPath.fs(path)), () -> job.done.incrementAndGet());
            return g.run();
        }
        return scan(job, rel(path), false).thenCompose(tree -> {
            if (job.cancelRequested()) {
                return CompletableFuture.completedFuture(null);
            }
            long entries = tree.files.size() + tree.dirs.size();
            job.phase("removing", entries);
            WorkGroup removing = group(job, 1);
            // One request for the whole tree: done jumps to total when it finishes.
            removing.addCall(() -> background.rmtree(ApiPath.fs(path)), () -> job.done.set(entries));
            return removing.run();
        });
    }

    // ------------------------------------------------------------------------------------------
    // Seeding the sample data
    // ------------------------------------------------------------------------------------------

    /**
     * Fills a new directory with small files through the engine, as a job everyone can watch:
     * the directories made one at a time, then each file opened ({@code O_CREAT|O_EXCL}), written
     * and closed, {@code parallel} requests at a time.
     *
     * @param dir the directory to make, relative to the data directory
     * @param count how many files
     * @param shelves how many subdirectories they are spread over
     * @param content the bytes of file {@code i}
     * @return the job
     */
    public Job startSeed(String dir, int count, int shelves, IntFunction<byte[]> content) {
        String rel = nonRoot(ApiPath.check(dir), "seeded");
        Job job = register("seed", rel, null);
        launch(job, seed(job, rel(rel), Math.max(0, count), Math.max(1, shelves), content));
        return job;
    }

    /** The name of shelf {@code i} of a seeded tree. */
    public static String shelf(int i) {
        return String.format("shelf-%02d", i);
    }

    private CompletableFuture<Void> seed(Job job, Path top, int count, int shelves, IntFunction<byte[]> content) {
        job.phase("making directories", shelves + 1L);
        WorkGroup dirs = group(job, 1);
        for (int s = -1; s < shelves; s++) {
            Path d = s < 0 ? top : top.resolve(shelf(s));
            dirs.add(() -> engine.mkdir(d, 0755, r -> {
                if (r.ok()) {
                    job.done.incrementAndGet();
                } else {
                    dirs.fail(r);
                }
            }));
        }
        return dirs.run().thenCompose(v -> {
            if (job.cancelRequested()) {
                return CompletableFuture.completedFuture(null);
            }
            job.phase("writing", count);
            WorkGroup files = group(job, parallel);
            Set<AioFile> open = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < count; i++) {
                int n = i;
                Path p = top.resolve(shelf(i % shelves)).resolve(String.format("book-%05d.txt", i));
                files.add(() -> engine.open(p, AioConstants.O_WRONLY | AioConstants.O_CREAT | AioConstants.O_EXCL, 0644, r -> {
                    if (!r.ok()) {
                        files.fail(r);
                        return;
                    }
                    AioFile file = r.value();
                    open.add(file);
                    ByteBuffer data = ByteBuffer.wrap(content.apply(n));
                    job.bytesTotal.addAndGet(data.remaining());
                    writeAll(files, job, file, data, () -> files.addNext(() -> engine.close(file, c -> {
                        open.remove(file);
                        if (c.ok()) {
                            job.done.incrementAndGet();
                        } else {
                            files.fail(c);
                        }
                    })));
                }));
            }
            // Whatever ended the writing (done, failed, cancelled), no file stays open.
            return files.run().handle((w, error) -> error).thenCompose(error -> {
                WorkGroup closing = new WorkGroup(background, views.backgroundPriority(), parallel);
                for (AioFile file : open) {
                    closing.add(() -> engine.close(file, c -> open.remove(file)));
                }
                return closing.run().thenRun(() -> {
                    if (error != null) {
                        throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                    }
                });
            });
        });
    }

    /** Writes every remaining byte of {@code data} at the file's position, one request at a time, then runs {@code then}. */
    private void writeAll(WorkGroup g, Job job, AioFile file, ByteBuffer data, Runnable then) {
        g.addNext(() -> engine.write(file, null, data, r -> {
            if (!r.ok()) {
                g.fail(r);
                return;
            }
            job.bytesDone.addAndGet(r.value());
            if (data.hasRemaining() && r.value() > 0) {
                writeAll(g, job, file, data, then);
            } else if (data.hasRemaining()) {
                g.fail(new AioException(Errno.EIO.code(), "write", file.path() == null ? null : file.path().toString()));
            } else {
                then.run();
            }
        }));
    }

    // ------------------------------------------------------------------------------------------
    // Shutdown: jobs stop (and clean up) before the engine closes
    // ------------------------------------------------------------------------------------------

    private volatile boolean running;

    /** Jobs accept work once the context has started. */
    @Override
    public void start() {
        running = true;
    }

    /**
     * Cancels every running job and waits (up to {@code aio.shutdown.grace-period}) until they
     * have finished and removed their partial copies: this phase stops before the engine's.
     */
    @Override
    public void stop() {
        running = false;
        List<CompletableFuture<Void>> ending = new ArrayList<>();
        for (Job job : list()) {
            if (job.cancel()) {
                ending.add(job.ended());
            }
        }
        if (ending.isEmpty()) {
            return;
        }
        LOG.info("cancelling " + ending.size() + " running job(s) before the engine closes");
        try {
            CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new)).get(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("jobs did not end within " + gracePeriod + ": their partial copies (.aio-copy-*.part) may remain");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Above the engine's phase: jobs stop first. */
    @Override
    public int getPhase() {
        return AioEngineLifecycle.PHASE + 1;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * Asks a job to stop.
     *
     * @param job the job
     * @return {@code false} if it had already finished
     */
    public boolean cancel(Job job) {
        return job.cancel();
    }
}
