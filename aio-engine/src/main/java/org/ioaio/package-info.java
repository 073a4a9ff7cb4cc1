/** aio's public API: {@link org.ioaio.AioEngine} and the request, group, result and error types it hands out. */
package org.ioaio;
