/** Test support for applications that use aio: {@link org.ioaio.test.AioEngineExtension} (an engine per test, jailed in a temporary directory, checked after it) and {@link org.ioaio.test.AioFaults} (disk-fault injection). */
package org.ioaio.test;
