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

package org.ioaio.internal.linux;

import java.util.List;

/**
 * One entry of GraalVM's {@code foreign.downcalls} metadata, in its own words: the return and
 * parameter types as canonical layout names ({@code jint}, {@code jlong}, {@code void*}, {@code
 * void}) and the linker options. For {@link ForeignDowncallMetadataTests}, which compares the
 * engine's metadata file with what the engine links ({@code LinkedDowncalls}, Java 22+).
 *
 * @param returnType the return type's name, {@code void} for none
 * @param parameterTypes the parameter types' names
 * @param captureCallState whether the call state (errno) is captured
 * @param firstVariadicArg the index of the first variadic argument, or {@code null} if none is
 * @param criticalAllowHeapAccess {@code critical}'s {@code allowHeapAccess}, or {@code null} if not critical
 */
public record DowncallShape(String returnType, List<String> parameterTypes, boolean captureCallState,
        Integer firstVariadicArg, Boolean criticalAllowHeapAccess) {

    /** A copy of the list, so that shapes compare by value. */
    public DowncallShape {
        parameterTypes = List.copyOf(parameterTypes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(returnType).append(parameterTypes.toString().replace('[', '(').replace(']', ')'));
        if (captureCallState) {
            s.append(" captureCallState");
        }
        if (firstVariadicArg != null) {
            s.append(" firstVariadicArg=").append(firstVariadicArg);
        }
        if (criticalAllowHeapAccess != null) {
            s.append(" critical(allowHeapAccess=").append(criticalAllowHeapAccess).append(')');
        }
        return s.toString();
    }
}
