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

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriUtils;

/**
 * The paths the API accepts: relative to the data directory, {@code /}-separated, without
 * {@code .} or {@code ..} segments, empty segments, NUL characters, backslashes or an absolute start. These
 * rules are checked on the request thread before anything reaches the engine, and refusals are
 * 400 problems; the starter's jail ({@code aio.root}) is the second line: it resolves every path
 * the engine is given and refuses symbolic links that lead out (403).
 *
 * <p>Names of the form {@code .aio-*.part} are the application's work in progress (uploads being
 * written, copies being made): hidden from listings and refused as API paths.
 */
public final class ApiPath {

    /** Prefix of the names of work in progress. */
    public static final String TEMP_PREFIX = ".aio-";

    /** Suffix of the names of work in progress. */
    public static final String TEMP_SUFFIX = ".part";

    /** The longest path accepted, in bytes (Linux's PATH_MAX less the terminating NUL). */
    static final int MAX_PATH = 4095;

    /** The longest name accepted, in bytes (Linux's NAME_MAX). */
    static final int MAX_NAME = 255;

    private ApiPath() {
    }

    /**
     * The path in a URL: what {@code {*path}} captured, whose leading {@code /} belongs to the URL.
     *
     * @param captured the captured, decoded rest of the URL path
     * @return the checked relative path, {@code ""} for the data directory
     * @throws ApiProblem 400 when the path breaks a rule
     */
    public static String fromUrl(@Nullable String captured) {
        if (captured == null || captured.isEmpty()) {
            return "";
        }
        return check(captured.charAt(0) == '/' ? captured.substring(1) : captured);
    }

    /**
     * Checks a path given relative to the data directory.
     *
     * @param path the path; one trailing {@code /} is allowed
     * @return the path without a trailing {@code /}, {@code ""} for the data directory
     * @throws ApiProblem 400 when the path breaks a rule
     */
    public static String check(@Nullable String path) {
        if (path == null) {
            return "";
        }
        if (path.indexOf('\0') >= 0) {
            throw ApiProblem.badPath("nul", "NUL character in path", "The path contains a NUL character", path);
        }
        if (path.indexOf('\\') >= 0) {
            throw ApiProblem.badPath("backslash", "Backslash in path",
                    "Backslashes are not accepted (no Windows drive, UNC or '\\'-separated paths): separate names with '/'", path);
        }
        if (path.startsWith("/")) {
            throw ApiProblem.badPath("absolute-path", "Absolute path",
                    "Absolute paths are not accepted: give a path relative to the data directory", path);
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw ApiProblem.badPath("path-too-long", "Path too long", "The path is longer than " + MAX_PATH + " bytes", null);
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.isEmpty()) {
            return "";
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty()) {
                throw ApiProblem.badPath("empty-segment", "Empty path segment", "The path has an empty segment ('//')", path);
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw ApiProblem.badPath("dot-segment", "Path traversal",
                        "'" + segment + "' segments are not accepted: give a path inside the data directory without them", path);
            }
            if (isTemporary(segment)) {
                throw ApiProblem.badPath("reserved-name", "Reserved name",
                        "Names like " + TEMP_PREFIX + "*" + TEMP_SUFFIX + " belong to uploads and copies in progress", path);
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
                throw ApiProblem.badPath("name-too-long", "Name too long", "A name is longer than " + MAX_NAME + " bytes", null);
            }
        }
        return p;
    }

    /**
     * The name to give the engine for an API path: {@code "."} for the data directory (the API's
     * {@code ""}, which to a syscall is ENOENT), the path itself otherwise.
     *
     * @param path a checked relative path
     * @return the path for {@code AioTemplate}
     */
    public static String fs(String path) {
        return path.isEmpty() ? "." : path;
    }

    /** Whether {@code name} is the name of work in progress. */
    public static boolean isTemporary(String name) {
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
    }

    /** The parent of a checked path ({@code ""} for a name in the data directory itself). */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The last name of a checked path. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code dir/name}, or {@code name} in the data directory itself. */
    public static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** Whether checked path {@code path} is {@code dir} or inside it. */
    public static boolean isWithin(String path, String dir) {
        return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
    }

    /** A checked path as a URL path (each segment percent-encoded), after {@code prefix}. */
    public static String url(String prefix, String path) {
        return prefix + UriUtils.encodePath(path, StandardCharsets.UTF_8);
    }
}
