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
