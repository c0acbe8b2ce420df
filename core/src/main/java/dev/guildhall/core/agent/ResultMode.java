package dev.guildhall.core.agent;

/** How an agent produced its output, so that nobody mistakes a template for generated text. */
public enum ResultMode {
    /** A chat model generated (part of) the output. */
    MODEL,
    /** Rules, templates, classification or retrieval produced the output; no text was generated. */
    DETERMINISTIC
}
