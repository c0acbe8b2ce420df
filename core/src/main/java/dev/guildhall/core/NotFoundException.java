package dev.guildhall.core;

/** Thrown by {@code getX} lookups when nothing has the given id; {@code findX} returns empty instead. */
public class NotFoundException extends NonRetryableException {
    private final String kind;
    private final String id;

    public NotFoundException(String kind, Object id) {
        super("%s %s not found".formatted(kind, id));
        this.kind = kind;
        this.id = String.valueOf(id);
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }
}
