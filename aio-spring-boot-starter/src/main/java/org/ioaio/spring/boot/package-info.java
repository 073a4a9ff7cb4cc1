/** The aio Spring Boot starter: auto-configuration, {@code aio.*} properties, the engine's lifecycle and poller, and {@link org.ioaio.spring.boot.AioTemplate}. */
package org.ioaio.spring.boot;
