package dev.guildhall.core.gateway;

/** Receives a streamed answer as it arrives. Called on the provider's thread; keep it fast. */
@FunctionalInterface
public interface StreamListener {
    void onPartialText(String partial);
}
