/**
 * Sentence embeddings computed in process: {@link dev.guildhall.knowledge.embed.EmbeddingService} and
 * its default, the ONNX bge-small-en-v1.5 model that ships inside a Maven artifact (nothing is
 * downloaded at run time). Every vector is tagged with an {@link
 * dev.guildhall.knowledge.embed.EmbeddingModelId} so that stored vectors from another model are never
 * mixed in silently.
 */
@NullMarked
package dev.guildhall.knowledge.embed;

import org.jspecify.annotations.NullMarked;
