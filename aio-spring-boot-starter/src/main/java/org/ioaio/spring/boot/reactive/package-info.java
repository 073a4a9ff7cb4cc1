/** Project Reactor support for aio: {@link org.ioaio.spring.boot.reactive.ReactiveAioTemplate}, requests as {@code Mono}, file contents as {@code Flux<DataBuffer>}. */
package org.ioaio.spring.boot.reactive;
