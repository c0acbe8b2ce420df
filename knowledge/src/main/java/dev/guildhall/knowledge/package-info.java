/**
 * Knowledge and routing: in-process embeddings, per-workspace document collections searched with
 * Lucene (BM25, HNSW vectors and their fusion), and the intent router trained from labelled
 * examples. Depends on core only.
 */
@NullMarked
package dev.guildhall.knowledge;

import org.jspecify.annotations.NullMarked;
