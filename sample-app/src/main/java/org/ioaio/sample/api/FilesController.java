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

package org.ioaio.sample.api;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.AioConstants;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.sample.AioViews;
import org.ioaio.sample.SampleProperties;
import org.ioaio.sample.api.FileInfo.Entry;
import org.ioaio.sample.api.FileInfo.Listing;
import org.ioaio.sample.api.FileInfo.Metadata;
import org.ioaio.sample.jobs.JobService;
import org.ioaio.sample.jobs.Usage;
import org.ioaio.spring.boot.AioTemplate;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The files API. Every path is {@link ApiPath#fromUrl checked}, then handed to the starter's
 * templates at the interactive priority; every filesystem call is an engine request, so no
 * Netty thread ever blocks, and a client that goes away cancels the request it was waiting for.
 *
 * <ul>
 *   <li>{@code GET /api/dirs/{path}}: a listing ({@code aio_readdirx} with {@code
 *       READDIR_DENTS | READDIR_DIRS_FIRST}, then an {@code aio_lstat} of each entry, 16 in flight).
 *   <li>{@code POST /api/dirs/{path}}: makes a directory ({@code aio_mkdir}).
 *   <li>{@code GET /api/stat/{path}}: metadata ({@code aio_stat}).
 *   <li>{@code GET|HEAD /api/files/{path}}: the content, with a single {@code Range} ({@code aio_read}
 *       in chunks, on demand: a slow client holds no thread and reads no further ahead than it
 *       consumes).
 *   <li>{@code PUT /api/files/{path}}: stores the body: {@code aio_write} to a hidden {@code
 *       .aio-upload-*.part} name in the same directory, {@code aio_fsync}, {@code aio_rename} over the
 *       name. No partial file is ever visible under the name; an upload cut off midway, refused or
 *       failed removes its hidden file.
 *   <li>{@code GET /api/du/{path}}: du of a subtree (scandir + lstat in a group with a feeder).
 * </ul>
 */
@RestController
@RequestMapping("/api")
public class FilesController {

    private static final int LISTING_STATS_IN_FLIGHT = 16;

    private final ReactiveAioTemplate aio;
    private final AioTemplate interactive;
    private final JobService jobs;
    private final long maxUpload;

    /** The API over the data directory. */
    public FilesController(AioViews views, JobService jobs, SampleProperties properties) {
        this.aio = views.reactiveInteractive();
        this.interactive = views.interactive();
        this.jobs = jobs;
        this.maxUpload = properties.getMaxUploadSize().toBytes();
    }

    /**
     * Lists a directory: every entry, or the page {@code offset}/{@code limit}, in the
     * directory's order with directories first, or sorted by {@code sort} ({@code name},
     * {@code size}, {@code modified}, {@code type}) in {@code order} ({@code asc}, {@code desc}).
     */
    @GetMapping("/dirs/{*path}")
    public Mono<Listing> list(@PathVariable String path, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "-1") int limit, @RequestParam(required = false) @Nullable String sort,
            @RequestParam(defaultValue = "asc") String order) {
        String rel = ApiPath.fromUrl(path);
        if (offset < 0) {
            throw ApiProblem.badRequest("bad-page", "Bad page", "offset must be 0 or more, got " + offset, rel);
        }
        if (limit < -1) {
            throw ApiProblem.badRequest("bad-page", "Bad page", "limit must be 0 or more (or absent for all), got " + limit, rel);
        }
        Comparator<Entry> by = sortOrder(sort, order, rel);
        return aio.readdirx(ApiPath.fs(rel), AioConstants.READDIR_DENTS | AioConstants.READDIR_DIRS_FIRST)
                .filter(e -> !ApiPath.isTemporary(e.name().toString()))
                .flatMapSequential(e -> entry(rel, e), LISTING_STATS_IN_FLIGHT)
                .collectList()
                .map(entries -> {
                    List<Entry> all = by == null ? entries : entries.stream().sorted(by).toList();
                    int from = Math.min(offset, all.size());
                    int to = limit < 0 ? all.size() : (int) Math.min(all.size(), (long) from + limit);
                    return new Listing(rel, List.copyOf(all.subList(from, to)), all.size(), from);
                })
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /** The listing order asked for, or {@code null} for the directory's own (directories first). */
    private static @Nullable Comparator<Entry> sortOrder(@Nullable String sort, String order, String rel) {
        if (sort == null || sort.isEmpty()) {
            return null;
        }
        Comparator<Entry> c = switch (sort) {
            case "name" -> Comparator.comparing(Entry::name);
            case "size" -> Comparator.comparingLong(Entry::size);
            case "modified" -> Comparator.comparing(Entry::modified);
            case "type" -> Comparator.comparing(Entry::type);
            default -> throw ApiProblem.badRequest("bad-sort", "Unknown sort key",
                    "sort must be name, size, modified or type, got '" + sort + "'", rel);
        };
        c = c.thenComparing(Entry::name);
        return switch (order) {
            case "asc" -> c;
            case "desc" -> c.reversed();
            default -> throw ApiProblem.badRequest("bad-sort", "Unknown sort order", "order must be asc or desc, got '" + order + "'", rel);
        };
    }

    private Mono<Entry> entry(String dir, DirEntry e) {
        String name = e.name().toString();
        String child = ApiPath.join(dir, name);
        return aio.mono(t -> t.lstat(ApiPath.fs(child)))
                .map(st -> Entry.of(name, child, st))
                // Removed since the directory was read: not listed.
                .onErrorResume(x -> x instanceof AioException a && a.errno() == Errno.ENOENT.code(), x -> Mono.empty());
    }

    /** Makes a directory (mode 0755 minus the umask); its parent must exist. */
    @PostMapping("/dirs/{*path}")
    public Mono<ResponseEntity<Metadata>> mkdir(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        if (rel.isEmpty()) {
            throw ApiProblem.conflict("exists", "Already exists", "The data directory already exists", rel);
        }
        return aio.mono(t -> t.mkdir(ApiPath.fs(rel), 0755))
                .then(aio.mono(t -> t.stat(ApiPath.fs(rel))))
                .map(st -> ResponseEntity.created(URI.create(ApiPath.url("/api/dirs/", rel))).body(Metadata.of(rel, st)))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /** A file's metadata. */
    @GetMapping("/stat/{*path}")
    public Mono<Metadata> stat(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        return aio.mono(t -> t.stat(ApiPath.fs(rel))).map(st -> Metadata.of(rel, st)).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /** du of a subtree, at the interactive priority: cancelled with the request. */
    @GetMapping("/du/{*path}")
    public Mono<Usage> du(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        return Mono.fromFuture(() -> jobs.du(rel), false).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    // ------------------------------------------------------------------------------------------
    // Download
    // ------------------------------------------------------------------------------------------

    /**
     * A file's content (all of it, or one Range); HEAD gives the headers alone. {@code
     * Content-Disposition} names the file: {@code inline}, or {@code attachment} with {@code ?download=true}.
     */
    @GetMapping("/files/{*path}")
    public Mono<ResponseEntity<Flux<DataBuffer>>> download(@PathVariable String path, ServerHttpRequest request,
            @RequestParam(defaultValue = "false") boolean download) {
        String rel = ApiPath.fromUrl(path);
        HttpHeaders in = request.getHeaders();
        boolean head = HttpMethod.HEAD.equals(request.getMethod());
        return aio.mono(t -> t.stat(ApiPath.fs(rel))).map(st -> {
            if (st.isDirectory()) {
                throw ApiProblem.of(new AioException(Errno.EISDIR.code(), "open", rel), rel);
            }
            if (!st.isRegularFile()) {
                throw ApiProblem.conflict("not-a-file", "Not a regular file", "'" + rel + "' is not a regular file", rel);
            }
            long size = st.size();
            String etag = etag(st);
            String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(st.mtime(), ZoneOffset.UTC));
            String rangeHeader = in.getFirst(HttpHeaders.RANGE);
            String ifRange = in.getFirst(HttpHeaders.IF_RANGE);
            if (rangeHeader != null && ifRange != null && !ifRange.equals(etag) && !ifRange.equals(lastModified)) {
                rangeHeader = null; // The client's copy is stale: send the whole file.
            }
            ByteRange range = ByteRange.parse(rangeHeader, size, rel);
            long start = range == null ? 0 : range.start();
            long length = range == null ? size : range.length();
            HttpHeaders out = new HttpHeaders();
            out.setContentType(MediaTypeFactory.getMediaType(ApiPath.name(rel)).orElse(MediaType.APPLICATION_OCTET_STREAM));
            out.setContentLength(length);
            out.set(HttpHeaders.ACCEPT_RANGES, "bytes");
            out.setETag(etag);
            out.set(HttpHeaders.LAST_MODIFIED, lastModified);
            out.setContentDisposition((download ? ContentDisposition.attachment() : ContentDisposition.inline())
                    .filename(ApiPath.name(rel), StandardCharsets.UTF_8).build());
            if (range != null) {
                out.set(HttpHeaders.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + size);
            }
            Flux<DataBuffer> body = head || length == 0 ? Flux.empty() : content(rel, st, start, length);
            return ResponseEntity.status(range == null ? HttpStatus.OK : HttpStatus.PARTIAL_CONTENT).headers(out).body(body);
        }).onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /**
     * {@code length} bytes from {@code start}: the file is opened when the body is subscribed and
     * closed when it completes, fails or is cancelled; if it was replaced since {@code before} was
     * taken (an upload renamed over it), the body fails rather than mix two files.
     */
    private Flux<DataBuffer> content(String rel, FileStat before, long start, long length) {
        int chunk = (int) Math.min(aio.chunkSize(), length);
        return Flux.usingWhen(aio.open(ApiPath.fs(rel), AioConstants.O_RDONLY, 0),
                file -> aio.mono(t -> t.stat(file)).flatMapMany(now -> {
                    if (now.ino() != before.ino() || now.dev() != before.dev() || now.size() < start + length) {
                        return Flux.error(new IOException(rel + " changed while it was being sent"));
                    }
                    return limit(aio.readContent(file, start, chunk), length);
                }),
                this::close);
    }

    /** The first {@code length} bytes of {@code chunks}; fails if they end sooner. */
    private static Flux<DataBuffer> limit(Flux<DataBuffer> chunks, long length) {
        return Flux.defer(() -> {
            AtomicLong left = new AtomicLong(length);
            return chunks.map(buffer -> {
                long l = left.get();
                int n = buffer.readableByteCount();
                if (n > l) {
                    buffer.writePosition(buffer.readPosition() + (int) l);
                    n = (int) l;
                }
                left.addAndGet(-n);
                return buffer;
            }).takeUntil(buffer -> left.get() <= 0)
                    .concatWith(Mono.defer(() -> left.get() > 0
                            ? Mono.error(new IOException("the file ended " + left.get() + " bytes early"))
                            : Mono.empty()));
        });
    }

    private static String etag(FileStat st) {
        return "\"" + Long.toHexString(st.ino()) + "-" + Long.toHexString(st.size()) + "-"
                + Long.toHexString(st.mtimeSec()) + Integer.toHexString(st.mtimeNsec()) + "\"";
    }

    private Mono<Void> close(AioFile file) {
        return file.isOpen() ? aio.mono(t -> t.close(file)).onErrorResume(e -> Mono.empty()) : Mono.empty();
    }

    // ------------------------------------------------------------------------------------------
    // Delete, move
    // ------------------------------------------------------------------------------------------

    /**
     * Removes a file, a symbolic link (the link itself) or an empty directory: 204. A directory
     * with entries is a 409 ({@code not-empty}: a delete job removes a tree).
     */
    @DeleteMapping("/files/{*path}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String path) {
        String rel = ApiPath.fromUrl(path);
        if (rel.isEmpty()) {
            throw ApiProblem.conflict("root", "The data directory", "The data directory itself cannot be deleted", rel);
        }
        return aio.mono(t -> t.unlink(ApiPath.fs(rel)))
                .onErrorResume(e -> e instanceof AioException a && (a.errno() == Errno.EISDIR.code() || a.errno() == Errno.EPERM.code()),
                        e -> aio.mono(t -> t.rmdir(ApiPath.fs(rel))))
                .then(Mono.just(ResponseEntity.noContent().<Void>build()))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /**
     * A request to rename or move one entry.
     *
     * @param src what to move
     * @param dst its new path; must not exist
     */
    public record MoveRequest(@Nullable String src, @Nullable String dst) {
    }

    /**
     * Renames or moves one entry (file, link or directory, with what it holds) to a path that does
     * not exist yet, in one {@code rename2(RENAME_NOREPLACE)}: 200 with its metadata at the new path.
     * Across file systems it is refused (a move job copies then deletes).
     */
    @PostMapping("/move")
    public Mono<ResponseEntity<Metadata>> move(@RequestBody MoveRequest body) {
        String src = ApiPath.check(body.src());
        String dst = ApiPath.check(body.dst());
        if (src.isEmpty() || dst.isEmpty()) {
            throw ApiProblem.badRequest("root", "The data directory", "src and dst must name entries inside the data directory", src);
        }
        if (ApiPath.isWithin(dst, src)) {
            throw ApiProblem.conflict("into-itself", "Into itself", "'" + src + "' cannot be moved into itself ('" + dst + "')", dst);
        }
        return aio.mono(t -> t.rename2(ApiPath.fs(src), ApiPath.fs(dst), AioConstants.RENAME_NOREPLACE))
                .onErrorMap(AioException.class, e -> e.errno() == Errno.EXDEV.code() && e.getCause() == null
                        ? ApiProblem.conflict("cross-device", "Another file system",
                                "'" + dst + "' is on another file system: use a move job", dst)
                        : ApiProblem.of(e, e.errno() == Errno.EEXIST.code() ? dst : src))
                .then(aio.mono(t -> t.lstat(ApiPath.fs(dst))))
                .map(st -> ResponseEntity.ok().location(URI.create(ApiPath.url("/api/stat/", dst))).body(Metadata.of(dst, st)))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, dst));
    }

    // ------------------------------------------------------------------------------------------
    // Upload
    // ------------------------------------------------------------------------------------------

    /** Stores the request body at {@code path}: 201 for a new file, 200 for a replaced one. */
    @PutMapping("/files/{*path}")
    public Mono<ResponseEntity<Metadata>> upload(@PathVariable String path, ServerHttpRequest request) {
        String rel = ApiPath.fromUrl(path);
        if (rel.isEmpty()) {
            throw ApiProblem.of(new AioException(Errno.EISDIR.code(), "open", rel), rel);
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > maxUpload) {
            throw ApiProblem.tooLarge(maxUpload, rel);
        }
        String ifMatch = request.getHeaders().getFirst(HttpHeaders.IF_MATCH);
        String parent = ApiPath.parent(rel);
        String tmp = ApiPath.join(parent, ApiPath.TEMP_PREFIX + "upload-" + UUID.randomUUID() + ApiPath.TEMP_SUFFIX);
        // The open's future, kept so that whatever ends the upload (error, cancel) can remove the file it made.
        AtomicReference<@Nullable CompletableFuture<AioFile>> opening = new AtomicReference<>();
        Mono<AioFile> open = Mono.defer(() -> {
            CompletableFuture<AioFile> f = interactive.open(tmp, AioConstants.O_WRONLY | AioConstants.O_CREAT | AioConstants.O_EXCL, 0644);
            opening.set(f);
            return Mono.fromFuture(f, true);
        });
        Mono<Long> write = Mono.usingWhen(open,
                file -> aio.writeContent(limited(request.getBody(), rel), file).flatMap(n -> declared >= 0 && n != declared
                        ? Mono.<Long>error(ApiProblem.truncated(declared, n, rel))
                        : aio.mono(t -> t.fsync(file)).thenReturn(n))
                        // A body buffer still queued when the upload is cut off or refused is released, not dropped.
                        .doOnDiscard(DataBuffer.class, DataBufferUtils::release),
                file -> aio.mono(t -> t.close(file)),
                (file, error) -> close(file),
                this::close);

        return existing(parent, rel)
                .flatMap(existed -> precondition(ifMatch, existed, rel).thenReturn(existed))
                .flatMap(existed -> write
                        .then(aio.mono(t -> t.rename(ApiPath.fs(tmp), ApiPath.fs(rel))))
                        .then(aio.mono(t -> t.stat(ApiPath.fs(rel))))
                        .map(st -> ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED)
                                .location(URI.create(ApiPath.url("/api/files/", rel)))
                                .body(Metadata.of(rel, st))))
                .onErrorResume(e -> discard(opening, tmp).then(Mono.error(e)))
                .doOnCancel(() -> discard(opening, tmp))
                .onErrorMap(AioException.class, e -> ApiProblem.of(e, rel));
    }

    /**
     * {@code If-Match}: with {@code *}, the file must exist; with ETags, its current ETag must be
     * one of them; otherwise 412. Checked before the body is stored: a change made between the
     * check and the final rename is not seen.
     */
    private Mono<Void> precondition(@Nullable String ifMatch, boolean existed, String rel) {
        if (ifMatch == null) {
            return Mono.empty();
        }
        if (!existed) {
            return Mono.error(ApiProblem.preconditionFailed("'" + rel + "' does not exist: If-Match cannot match", rel));
        }
        if (ifMatch.trim().equals("*")) {
            return Mono.empty();
        }
        return aio.mono(t -> t.stat(ApiPath.fs(rel))).flatMap(st -> {
            String current = etag(st);
            for (String tag : ifMatch.split(",")) {
                if (tag.trim().equals(current)) {
                    return Mono.<Void>empty();
                }
            }
            return Mono.error(ApiProblem.preconditionFailed("'" + rel + "' has changed: its ETag is " + current, rel));
        });
    }

    /** Whether {@code rel} exists (and is not a directory); its parent must be a directory. */
    private Mono<Boolean> existing(String parent, String rel) {
        return aio.mono(t -> t.stat(ApiPath.fs(parent)))
                .onErrorMap(AioException.class, e -> e.errno() == Errno.ENOENT.code()
                        ? ApiProblem.notFound("no-parent", "No such directory",
                                "The directory to upload into does not exist: '" + parent + "'", parent)
                        : ApiProblem.of(e, parent))
                .flatMap(ps -> {
                    if (!ps.isDirectory()) {
                        return Mono.error(ApiProblem.of(new AioException(Errno.ENOTDIR.code(), "open", parent), parent));
                    }
                    return aio.mono(t -> t.lstat(ApiPath.fs(rel)))
                            .flatMap(st -> st.isDirectory()
                                    ? Mono.<Boolean>error(ApiProblem.of(new AioException(Errno.EISDIR.code(), "open", rel), rel))
                                    : Mono.just(true))
                            .onErrorResume(e -> e instanceof AioException a && a.errno() == Errno.ENOENT.code(), e -> Mono.just(false));
                });
    }

    /** The body, failing with 413 past {@code sample.max-upload-size}. */
    private Flux<DataBuffer> limited(Flux<DataBuffer> body, String rel) {
        AtomicLong seen = new AtomicLong();
        return body.handle((buffer, sink) -> {
            if (seen.addAndGet(buffer.readableByteCount()) > maxUpload) {
                DataBufferUtils.release(buffer);
                sink.error(ApiProblem.tooLarge(maxUpload, rel));
            } else {
                sink.next(buffer);
            }
        });
    }

    /**
     * Removes an upload's hidden file, once its open has settled (if it made the file). The
     * removal starts at once and runs to its end whatever happens to the returned Mono: when the
     * client goes away while the upload fails, the response is cancelled, but the cleanup is not.
     */
    private Mono<Void> discard(AtomicReference<@Nullable CompletableFuture<AioFile>> opening, String tmp) {
        CompletableFuture<AioFile> f = opening.getAndSet(null);
        if (f == null) {
            return Mono.empty();
        }
        CompletableFuture<Void> removal = Mono.fromFuture(f.handle((file, error) -> file), true)
                .flatMap(file -> close(file).then(aio.mono(t -> t.unlink(ApiPath.fs(tmp)))))
                .onErrorResume(e -> Mono.empty())
                .toFuture();
        return Mono.fromFuture(removal, true);
    }
}
