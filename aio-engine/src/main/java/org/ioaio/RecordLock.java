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

/**
 * A POSIX record lock as {@code struct flock} describes it: what {@link AioEngine#getlk} reports
 * (the lock that would conflict, or one of type {@link AioConstants#F_UNLCK} when none would).
 *
 * @param type {@link AioConstants#F_RDLCK}, {@link AioConstants#F_WRLCK} or {@link AioConstants#F_UNLCK}
 * @param start the first byte of the range
 * @param length the range's length; 0 means "to the end of the file, however far it grows"
 * @param pid the process holding it; -1 for an open-file-description lock (the kernel does not
 *     say whose), 0 when there is no conflict
 */
public record RecordLock(int type, long start, long length, int pid) {

    /** Whether the range is free (no conflicting lock). */
    public boolean isFree() {
        return type == AioConstants.F_UNLCK;
    }
}
