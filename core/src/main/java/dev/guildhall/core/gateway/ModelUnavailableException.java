package dev.guildhall.core.gateway;

import dev.guildhall.core.NonRetryableException;

/** No chat or embedding provider is configured for the requested policy. Take the deterministic path. */
public class ModelUnavailableException extends NonRetryableException {
    public ModelUnavailableException(String message) {
        super(message);
    }
}
