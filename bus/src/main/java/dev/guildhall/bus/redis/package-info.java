/**
 * Core's {@link dev.guildhall.core.bus.EventBus} on Redis Streams: one stream per topic, consumer
 * groups with acknowledgements, {@code XAUTOCLAIM} of entries a dead or failing consumer left
 * unacknowledged, a bounded stream length, a dead-letter stream per topic, and per-group dedupe
 * keys so a republished event is handled once.
 */
@NullMarked
package dev.guildhall.bus.redis;

import org.jspecify.annotations.NullMarked;
