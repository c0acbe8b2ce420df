/**
 * Per-workspace knowledge collections: documents stored as chunk files (the source of truth) and a
 * Lucene index beside them (BM25, HNSW vectors, and their reciprocal rank fusion) that can always be
 * rebuilt from the chunk files. {@link dev.guildhall.knowledge.collection.KnowledgeBase} is the entry
 * point.
 */
@NullMarked
package dev.guildhall.knowledge.collection;

import org.jspecify.annotations.NullMarked;
