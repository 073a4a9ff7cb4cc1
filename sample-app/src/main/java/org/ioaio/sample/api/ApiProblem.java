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

import java.net.URI;
import java.nio.file.Path;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An RFC 9457 problem the API answers with: a {@code type} ({@code /problems/<slug>}), a title, a
 * detail, and, where they apply, the {@code path} (relative to the data directory, as the client
 * gave it: never a server path) and the {@code errno} behind it.
 *
 * <p>Errnos map to statuses: ENOENT 404; EXDEV (the jail: a path leading out of the data
 * directory) 403; EACCES, EPERM 403; ENOTDIR, EISDIR, EEXIST, ENOTEMPTY 409; ELOOP, ENAMETOOLONG,
 * EINVAL 400; ENOSPC, EDQUOT 507; anything else 500.
 */
public class ApiProblem extends ErrorResponseException {

    private static final long serialVersionUID = 1L;

    ApiProblem(HttpStatus status, String slug, String title, String detail, @Nullable String path, @Nullable String errno,
            @Nullable Throwable cause) {
        super(status, problem(status, slug, title, detail, path, errno), cause);
    }

    private static ProblemDetail problem(HttpStatus status, String slug, String title, String detail, @Nullable String path,
            @Nullable String errno) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("/problems/" + slug));
        p.setTitle(title);
        if (path != null) {
            p.setProperty("path", path);
        }
        if (errno != null) {
            p.setProperty("errno", errno);
        }
        return p;
    }

    /** A 400 for a path that breaks {@link ApiPath}'s rules. */
    public static ApiProblem badPath(String slug, String title, String detail, @Nullable String path) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, slug, title, detail, path, null, null);
    }

    /** A 400. */
    public static ApiProblem badRequest(String slug, String title, String detail, @Nullable String path) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, slug, title, detail, path, null, null);
    }

    /** A 404. */
    public static ApiProblem notFound(String slug, String title, String detail, @Nullable String path) {
        return new ApiProblem(HttpStatus.NOT_FOUND, slug, title, detail, path, null, null);
    }

    /** A 409. */
    public static ApiProblem conflict(String slug, String title, String detail, @Nullable String path) {
        return new ApiProblem(HttpStatus.CONFLICT, slug, title, detail, path, null, null);
    }

    /** A 412 for an {@code If-Match} that does not match. */
    public static ApiProblem preconditionFailed(String detail, String path) {
        return new ApiProblem(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", detail, path, null, null);
    }

    /** A 413 for an upload bigger than {@code sample.max-upload-size}. */
    public static ApiProblem tooLarge(long max, String path) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Upload too large",
                "Uploads are limited to " + max + " bytes (sample.max-upload-size)", path, null, null);
    }

    /** A 400 for an upload whose body ended before its Content-Length. */
    public static ApiProblem truncated(long declared, long received, String path) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "truncated-upload", "Incomplete upload",
                "The body ended after " + received + " of " + declared + " bytes; nothing was stored", path, null, null);
    }

    /** A 416 for a Range that starts at or beyond the end of the file, with {@code Content-Range: bytes *}{@code /size}. */
    public static ApiProblem rangeNotSatisfiable(String range, long size, String path) {
        ApiProblem p = new ApiProblem(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable", "Range not satisfiable",
                "The range '" + range + "' lies beyond the end of the file (" + size + " bytes)", path, null, null);
        p.getHeaders().set(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
        return p;
    }

    /**
     * The problem for a failed request.
     *
     * @param e the failure
     * @param path the path as the client gave it (relative); used instead of the engine's
     * @return the problem
     */
    public static ApiProblem of(AioException e, @Nullable String path) {
        Errno errno = e.error();
        String name = errno == null ? Integer.toString(e.errno()) : errno.name();
        String shown = path == null ? "the path" : "'" + path + "'";
        if (errno == null) {
            return new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "io-error", "I/O error",
                    e.operation() + " failed: " + Errno.describe(e.errno()), path, name, e);
        }
        return switch (errno) {
            case ENOENT -> new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "No such file or directory: " + shown, path, name, e);
            case EXDEV -> new ApiProblem(HttpStatus.FORBIDDEN, "outside-root", "Outside the data directory",
                    shown + " leads outside the data directory (through a symbolic link); nothing outside is served", path, name, e);
            case EACCES, EPERM -> new ApiProblem(HttpStatus.FORBIDDEN, "permission-denied", "Permission denied",
                    "Permission denied: " + shown, path, name, e);
            case ENOTDIR -> new ApiProblem(HttpStatus.CONFLICT, "not-a-directory", "Not a directory",
                    shown + " (or one of its parents) is not a directory", path, name, e);
            case EISDIR -> new ApiProblem(HttpStatus.CONFLICT, "is-a-directory", "Is a directory",
                    shown + " is a directory", path, name, e);
            case EEXIST -> new ApiProblem(HttpStatus.CONFLICT, "exists", "Already exists",
                    shown + " already exists", path, name, e);
            case ENOTEMPTY -> new ApiProblem(HttpStatus.CONFLICT, "not-empty", "Directory not empty",
                    shown + " is not empty", path, name, e);
            case ELOOP -> new ApiProblem(HttpStatus.BAD_REQUEST, "symlink-loop", "Too many symbolic links",
                    "Too many levels of symbolic links in " + shown, path, name, e);
            case ENAMETOOLONG -> new ApiProblem(HttpStatus.BAD_REQUEST, "name-too-long", "Name too long",
                    "A name in the path is too long", path, name, e);
            case EINVAL -> new ApiProblem(HttpStatus.BAD_REQUEST, "invalid", "Invalid argument",
                    e.operation() + " refused " + shown + ": invalid argument", path, name, e);
            case ENOSPC, EDQUOT -> new ApiProblem(HttpStatus.INSUFFICIENT_STORAGE, "no-space", "No space left",
                    "The data directory's file system is full", path, name, e);
            default -> new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "io-error", "I/O error",
                    e.operation() + " failed: " + Errno.describe(e.errno()), path, name, e);
        };
    }

    /** The problem for a failure whose path is the engine's (absolute): shown relative to {@code root}. */
    static ApiProblem of(AioException e, Path root) {
        String path = e.path();
        String shown = null;
        if (path != null) {
            try {
                Path p = Path.of(path);
                shown = !p.isAbsolute() ? path : p.startsWith(root) ? root.relativize(p).toString() : null;
            } catch (RuntimeException invalid) {
                shown = null;
            }
        }
        return of(e, shown);
    }
}
