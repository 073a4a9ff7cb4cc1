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
 * Whether the native backend sends requests to io_uring ({@link AioEngine.Builder#ioUring(IoUringMode)}):
 * those of {@link AioEngine.Builder#ioUringOps(java.util.Set)} are then submitted in batches by one
 * ring thread and completed without a worker thread each. Every other request runs on the worker threads.
 */
public enum IoUringMode {
    /** Use io_uring where the native backend is active and {@code io_uring_setup} succeeds; the workers otherwise. */
    AUTO,
    /** Use io_uring; building the engine fails with the reason where it cannot (portable backend, no io_uring). */
    REQUIRED,
    /** Never use io_uring: every request runs on the worker threads. */
    OFF
}
