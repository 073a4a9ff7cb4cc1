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

package org.ioaio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@link AioEngine#readdirx}: the entries and the flags, possibly modified (IO::AIO's
 * {@code ($entries, $flags)}): {@link AioConstants#READDIR_FOUND_UNKNOWN} is set when at least one
 * entry's type is {@link AioConstants#DT_UNKNOWN}.
 *
 * @param entries the entries, without {@code .} and {@code ..}, in the order the flags asked for
 * @param flags the flags the request was given, plus {@code READDIR_FOUND_UNKNOWN} when it applies
 */
public record DirListing(List<DirEntry> entries, int flags) {

    /**
     * An unmodifiable listing.
     *
     * @param entries the entries
     * @param flags the resulting flags
     */
    public DirListing {
        entries = List.copyOf(entries);
    }

    /** The names alone, in the same order (what {@code readdirx} without {@code READDIR_DENTS} gives in IO::AIO). */
    public List<Path> names() {
        List<Path> names = new ArrayList<>(entries.size());
        for (DirEntry e : entries) {
            names.add(e.name());
        }
        return names;
    }

    /** {@code true} when every entry's type is known ({@code READDIR_FOUND_UNKNOWN} is not set). */
    public boolean typesKnown() {
        return (flags & AioConstants.READDIR_FOUND_UNKNOWN) == 0;
    }
}
