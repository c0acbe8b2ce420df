/**
 * The event bus port: run events leave the store through a transactional outbox and reach
 * consumers on other nodes through a bus. In-process by default; Redis Streams in the bus module.
 */
@NullMarked
package dev.guildhall.core.bus;

import org.jspecify.annotations.NullMarked;
