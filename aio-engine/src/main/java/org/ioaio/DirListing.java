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
