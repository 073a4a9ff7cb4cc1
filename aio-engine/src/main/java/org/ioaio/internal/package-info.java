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

/**
 * The engine's machinery below the API, in the packages of libeio's own drawing: the scheduler and
 * its requests ({@code sched}); the operations, one request per syscall ({@code op}); the
 * composites made of several requests ({@code tree}); the syscall layer ({@code sys}, and {@code
 * linux} for the native calls and io_uring through the FFM API). {@code Platform}, here, says which
 * syscall layer the running JVM gets. Not API, may change without notice.
 */
package org.ioaio.internal;
