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

import org.jspecify.annotations.Nullable;

/**
 * One byte range of a file (RFC 9110 section 14): {@code bytes=first-last}, {@code bytes=first-}
 * or {@code bytes=-suffix}.
 *
 * @param start the first byte
 * @param end the last byte, inclusive
 */
record ByteRange(long start, long end) {

    /** The number of bytes. */
    long length() {
        return end - start + 1;
    }

    /**
     * Reads a {@code Range} header against a file of {@code size} bytes.
     *
     * @param header the header, or {@code null}
     * @param size the file's size
     * @param path the file, for the problem
     * @return the range, or {@code null} to send the whole file: no header, a header this server
     *     ignores as RFC 9110 allows (another unit, several ranges, bad syntax)
     * @throws ApiProblem 416 when the range starts at or beyond the end of the file
     */
    static @Nullable ByteRange parse(@Nullable String header, long size, String path) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                if (suffix < 0) {
                    return null;
                }
                if (suffix == 0 || size == 0) {
                    throw ApiProblem.rangeNotSatisfiable(header, size, path);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (start < 0 || end < start) {
                return null;
            }
            if (start >= size) {
                throw ApiProblem.rangeNotSatisfiable(header, size, path);
            }
            return new ByteRange(start, Math.min(end, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
