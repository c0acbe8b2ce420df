package dev.guildhall.core.gateway;

import java.util.List;

/** The null gateway: no provider configured. */
final class DisabledModelGateway implements ModelGateway {
    static final DisabledModelGateway INSTANCE = new DisabledModelGateway();
    static final String MESSAGE = "no chat provider configured (set GUILDHALL_OPENAI_API_KEY, ANTHROPIC_API_KEY or "
            + "OLLAMA_BASE_URL, or a gateway section in guildhall.yaml)";

    private DisabledModelGateway() {}

    @Override
    public boolean chatAvailable() {
        return false;
    }

    @Override
    public boolean embeddingsAvailable() {
        return false;
    }

    @Override
    public ChatResponse chat(ModelCall call, ChatRequest request) {
        throw new ModelUnavailableException(MESSAGE);
    }

    @Override
    public ChatResponse chatStreaming(ModelCall call, ChatRequest request, StreamListener listener) {
        throw new ModelUnavailableException(MESSAGE);
    }

    @Override
    public EmbeddingResponse embed(ModelCall call, List<String> texts) {
        throw new ModelUnavailableException("no embedding provider configured");
    }
}
