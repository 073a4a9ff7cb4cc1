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

package org.ioaio.internal.sys;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import org.ioaio.Errno;

/**
 * A path argument as the caller gave it: the exact text of a {@code String} path (trailing slash,
 * {@code //} and {@code .} kept), or a {@link Path}. The native layers pass {@link #text()} to the
 * kernel byte for byte; the portable layers use {@link #path()} and give a trailing slash its
 * POSIX meaning in Java ({@link SlashSemantics}).
 *
 * <p>Making one never touches the file system and never fails: a name no syscall could take (empty,
 * a NUL byte, not representable in the platform encoding) fails with its errno when the request
 * executes, as the syscall would.
 */
public final class Pathname {

    /**
     * The text: given, or a {@code Path}'s made when first asked (by the layer, on the worker that
     * runs the request, not on the submitting thread); {@code null} before. A {@code String} is safe to
     * publish through a race, so neither lazy field needs a lock.
     */
    private String text;
    /** The {@code Path}: given, or made from {@link #text} when first asked; {@code null} before. */
    private Path path;
    private final boolean fromText;
    private final boolean trailingSlash;

    private Pathname(String text, Path path) {
        this.text = text;
        this.path = path;
        this.fromText = path == null;
        this.trailingSlash = fromText && endsWithSlash(text);
    }

    /**
     * The pathname of a {@code String}, kept exactly.
     *
     * @param text the name as given (not {@code null})
     * @return the pathname
     */
    public static Pathname of(String text) {
        return new Pathname(text, null);
    }

    /**
     * The pathname of a {@link Path} (which has no trailing slash).
     *
     * @param path the path (not {@code null})
     * @return the pathname
     */
    public static Pathname of(Path path) {
        return new Pathname(null, Objects.requireNonNull(path, "path"));
    }

    /**
     * Whether {@code s} ends with {@code /} after a last component that is not {@code .} or {@code
     * ..} (those name a directory already, and the {@code Path} keeps them: {@code "dir/./"} means
     * what {@code "dir/."} means) and is more than the root.
     */
    private static boolean endsWithSlash(String s) {
        int end = s.length();
        if (end < 2 || s.charAt(end - 1) != '/') {
            return false;
        }
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        int start = s.lastIndexOf('/', end - 1) + 1;
        String last = s.substring(start, end);
        return !last.equals(".") && !last.equals("..");
    }

    /**
     * The name as given: what the native layers pass to the kernel.
     *
     * @return the text
     */
    public String text() {
        String t = text;
        if (t == null) {
            t = path.toString();
            text = t;
        }
        return t;
    }

    /**
     * Whether this was made from a {@code String}, whose text is exact (a {@code Path}'s text is its
     * normalised form, and its bytes are the {@code Path}'s own).
     *
     * @return {@code true} for a {@code String} path
     */
    public boolean isText() {
        return fromText;
    }

    /**
     * Whether the name ends with a slash (and is not only slashes): POSIX then requires the last
     * component to be a directory, and follows it if it is a symbolic link.
     *
     * @return {@code true} for {@code "dir/"}, {@code false} for {@code "dir"}, {@code "/"} and any {@code Path}
     */
    public boolean trailingSlash() {
        return trailingSlash;
    }

    /**
     * The {@link Path} of the name ({@code //} and the trailing slash dropped, {@code .} kept).
     *
     * @return the path
     * @throws SyscallException ENOENT for the empty name or one with a NUL byte, EINVAL for a name the
     *     platform encoding cannot represent (what the portable layer's syscall would answer)
     */
    public Path path() throws SyscallException {
        Path p = path;
        if (p == null) {
            if (text.isEmpty() || text.indexOf('\0') >= 0) {
                throw new SyscallException(Errno.ENOENT);
            }
            try {
                p = Path.of(text);
            } catch (InvalidPathException e) {
                throw ErrnoMapper.toSyscallException(e);
            }
            path = p;
        }
        return p;
    }

    /**
     * Whether {@link #path()} says all the name says: no trailing slash, and no {@code //} or other
     * spelling the {@code Path} normalises away (for a symbolic link's target, whose bytes are stored).
     *
     * @return {@code true} if the {@code Path} is exact
     * @throws SyscallException as {@link #path()}
     */
    public boolean pathIsExact() throws SyscallException {
        return path().toString().equals(text());
    }

    /** The name as given. */
    @Override
    public String toString() {
        return text();
    }
}
