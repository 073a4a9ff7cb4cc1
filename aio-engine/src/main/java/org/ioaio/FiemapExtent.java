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
 * One extent of a file as {@code FS_IOC_FIEMAP} reports it, the {@code [$logical, $physical,
 * $length, $flags]} array of IO::AIO's {@code aio_fiemap}.
 *
 * @param logical the extent's offset in the file, in bytes
 * @param physical its offset on the device, in bytes (0 where the file system does not say)
 * @param length its length, in bytes
 * @param flags {@code FIEMAP_EXTENT_*} bits ({@link AioConstants#FIEMAP_EXTENT_LAST} on the last one)
 */
public record FiemapExtent(long logical, long physical, long length, int flags) {}
