/** The engine's machinery (scheduler, worker pool, result queue, request kinds); not API, may change without notice. */
package org.ioaio.internal;
