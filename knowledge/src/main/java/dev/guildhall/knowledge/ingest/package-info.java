/**
 * Turning files into chunks: parsers for plain text, Markdown, HTML and PDF that keep the heading
 * structure, and a chunker that packs whole sentences into overlapping chunks within one section.
 */
@NullMarked
package dev.guildhall.knowledge.ingest;

import org.jspecify.annotations.NullMarked;
