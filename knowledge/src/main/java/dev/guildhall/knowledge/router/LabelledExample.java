package dev.guildhall.knowledge.router;

import dev.guildhall.core.Checks;

/** One training or test row: a message and the label it should get. */
public record LabelledExample(String text, String label) {
    public LabelledExample {
        Checks.notBlank(text, "text");
        Checks.notBlank(label, "label");
    }
}
