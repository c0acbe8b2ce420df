package dev.guildhall.knowledge.ingest;

import dev.guildhall.core.Checks;
import java.text.BreakIterator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Splits sections into chunks of whole sentences. A chunk never crosses a heading (each section is
 * chunked on its own), holds at most {@code maxChars} characters unless one sentence is longer (then
 * that sentence is cut at spaces), and starts with the last sentences of the previous chunk of the
 * same section, up to {@code overlapChars}, so that a fact split across the boundary stays findable.
 * Thread-safe.
 */
public final class Chunker {
    public static final int DEFAULT_MAX_CHARS = 1000;
    public static final int DEFAULT_OVERLAP_CHARS = 200;

    private final int maxChars;
    private final int overlapChars;

    public Chunker(int maxChars, int overlapChars) {
        this.maxChars = Checks.positive(maxChars, "maxChars");
        this.overlapChars = Checks.notNegative(overlapChars, "overlapChars");
        if (overlapChars >= maxChars) {
            throw new IllegalArgumentException(
                    "overlapChars must be < maxChars (" + maxChars + "), was " + overlapChars);
        }
    }

    public static Chunker defaults() {
        return new Chunker(DEFAULT_MAX_CHARS, DEFAULT_OVERLAP_CHARS);
    }

    public int maxChars() {
        return maxChars;
    }

    public int overlapChars() {
        return overlapChars;
    }

    public List<ChunkText> chunk(ParsedDocument document) {
        List<ChunkText> chunks = new ArrayList<>();
        for (Section section : document.sections()) {
            for (String text : chunkSection(section.text())) {
                chunks.add(new ChunkText(section.headingPath(), section.page(), text));
            }
        }
        return chunks;
    }

    /** One sentence (or piece of an over-long sentence), and whether it opens a paragraph. */
    private record Unit(String text, boolean paragraphStart) {}

    List<String> chunkSection(String text) {
        List<Unit> units = units(text);
        List<String> out = new ArrayList<>();
        Deque<Unit> current = new ArrayDeque<>();
        int length = 0;
        boolean hasNew = false;
        for (Unit unit : units) {
            int added = unit.text().length() + (current.isEmpty() ? 0 : 2);
            if (!current.isEmpty() && length + added > maxChars && hasNew) {
                out.add(render(current));
                // Keep the tail of the chunk just written as the overlap of the next one.
                Deque<Unit> overlap = new ArrayDeque<>();
                int overlapLength = 0;
                for (var it = current.descendingIterator(); it.hasNext(); ) {
                    Unit u = it.next();
                    if (overlapLength + u.text().length() > overlapChars
                            || overlapLength + u.text().length() + unit.text().length() > maxChars) {
                        break;
                    }
                    overlap.addFirst(u);
                    overlapLength += u.text().length() + 1;
                }
                current = overlap;
                length = overlapLength;
                hasNew = false;
            }
            current.addLast(unit);
            length += unit.text().length() + 1;
            hasNew = true;
        }
        if (hasNew) {
            out.add(render(current));
        }
        return out;
    }

    private static String render(Deque<Unit> units) {
        StringBuilder sb = new StringBuilder();
        for (Unit u : units) {
            if (sb.length() > 0) {
                sb.append(u.paragraphStart() ? "\n\n" : " ");
            }
            sb.append(u.text());
        }
        return sb.toString();
    }

    private List<Unit> units(String text) {
        List<Unit> units = new ArrayList<>();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            String p = paragraph.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean first = true;
            for (String sentence : sentences(p)) {
                for (String piece : cut(sentence)) {
                    units.add(new Unit(piece, first));
                    first = false;
                }
            }
        }
        return units;
    }

    private static List<String> sentences(String paragraph) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
        it.setText(paragraph);
        List<String> out = new ArrayList<>();
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = paragraph.substring(start, end).strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Cuts a sentence longer than {@code maxChars} at spaces (or hard, when it has none). */
    private List<String> cut(String sentence) {
        if (sentence.length() <= maxChars) {
            return List.of(sentence);
        }
        List<String> pieces = new ArrayList<>();
        String rest = sentence;
        while (rest.length() > maxChars) {
            int at = rest.lastIndexOf(' ', maxChars);
            if (at <= maxChars / 2) {
                at = maxChars;
            }
            pieces.add(rest.substring(0, at).strip());
            rest = rest.substring(at).strip();
        }
        if (!rest.isEmpty()) {
            pieces.add(rest);
        }
        return pieces;
    }
}
