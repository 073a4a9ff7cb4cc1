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

/**
 * One directory entry, as {@link AioEngine#readdirx} reports it with {@link
 * AioConstants#READDIR_DENTS}: IO::AIO's {@code [$name, $type, $inode]}.
 *
 * <p>The name is a {@link Path} of one element, not a {@code String}: a Unix {@code Path} keeps the
 * exact bytes the directory holds, so a name that is not valid UTF-8 (or not valid in the platform
 * encoding) survives being handed back to any request ({@code dir.resolve(name)}); its {@code
 * toString()} is for display only and may replace such bytes with U+FFFD.
 *
 * @param name the entry's name (never {@code .} or {@code ..}), a single-element relative path
 * @param type one of the {@code AioConstants.DT_*} constants; {@link AioConstants#DT_UNKNOWN} when
 *     it could not be determined (then stat the entry if you need to know)
 * @param inode the entry's inode number, or 0 when it was not determined
 */
public record DirEntry(Path name, int type, long inode) {

    /** {@code true} when the entry is known to be a directory (not a symlink to one). */
    public boolean isDirectory() {
        return type == AioConstants.DT_DIR;
    }
}
