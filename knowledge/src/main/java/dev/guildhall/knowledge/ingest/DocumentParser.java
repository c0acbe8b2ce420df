package dev.guildhall.knowledge.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Reads plain text, Markdown, HTML and PDF into a title and sections that follow the document's
 * headings. Stateless and thread-safe.
 */
public final class DocumentParser {
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~).*");
    private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\([^)]*\\)");
    private static final Pattern STRONG = Pattern.compile("(\\*\\*|__)(\\S(?:.*?\\S)?)\\1");
    private static final Pattern EMPHASIS = Pattern.compile("(?<![\\w*])\\*(\\S(?:.*?\\S)?)\\*(?![\\w*])");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern LIST_MARK = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+");
    private static final Pattern QUOTE_MARK = Pattern.compile("^\\s*>\\s?");
    private static final Set<String> DROPPED_HTML =
            Set.of("script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "aside", "form");

    public ParsedDocument parse(DocumentFormat format, byte[] content, String source, String fallbackTitle) {
        return switch (format) {
            case TEXT -> text(new String(content, StandardCharsets.UTF_8), fallbackTitle);
            case MARKDOWN -> markdown(new String(content, StandardCharsets.UTF_8), fallbackTitle);
            case HTML -> html(new String(content, StandardCharsets.UTF_8), fallbackTitle);
            case PDF -> pdf(content, source, fallbackTitle);
        };
    }

    ParsedDocument text(String text, String fallbackTitle) {
        String normalized = text.replace("\r\n", "\n").replace('\r', '\n').strip();
        List<Section> sections = normalized.isEmpty() ? List.of() : List.of(new Section(List.of(), normalized, 0));
        return new ParsedDocument(fallbackTitle, sections);
    }

    ParsedDocument markdown(String text, String fallbackTitle) {
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        String title = null;
        String[] path = new String[6];
        SectionBuilder sections = new SectionBuilder();
        List<String> paragraph = new ArrayList<>();
        boolean inFence = false;
        for (String line : lines) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                paragraph.add(line);
                continue;
            }
            Matcher atx = ATX_HEADING.matcher(line);
            Matcher setext = SETEXT.matcher(line);
            String heading = null;
            int level = 0;
            if (atx.matches()) {
                heading = inline(atx.group(2));
                level = atx.group(1).length();
            } else if (setext.matches() && paragraph.size() == 1) {
                heading = inline(paragraph.remove(0).strip());
                level = setext.group(1).charAt(0) == '=' ? 1 : 2;
            }
            if (heading != null) {
                sections.paragraph(markdownParagraph(paragraph));
                paragraph.clear();
                if (level == 1 && title == null) {
                    title = heading;
                }
                path[level - 1] = heading;
                for (int i = level; i < path.length; i++) {
                    path[i] = null;
                }
                sections.heading(pathOf(path));
            } else if (line.isBlank()) {
                sections.paragraph(markdownParagraph(paragraph));
                paragraph.clear();
            } else {
                paragraph.add(line);
            }
        }
        sections.paragraph(markdownParagraph(paragraph));
        return new ParsedDocument(title == null ? fallbackTitle : title, sections.build());
    }

    private static String markdownParagraph(List<String> lines) {
        List<String> cleaned = new ArrayList<>();
        for (String line : lines) {
            String l = QUOTE_MARK.matcher(line).replaceFirst("");
            l = LIST_MARK.matcher(l).replaceFirst("");
            l = inline(l).strip();
            if (!l.isEmpty()) {
                cleaned.add(l);
            }
        }
        return String.join(" ", cleaned);
    }

    private static String inline(String text) {
        String t = IMAGE.matcher(text).replaceAll("$1");
        t = LINK.matcher(t).replaceAll("$1");
        t = STRONG.matcher(t).replaceAll("$2");
        t = EMPHASIS.matcher(t).replaceAll("$1");
        return CODE.matcher(t).replaceAll("$1");
    }

    private static List<String> pathOf(String[] path) {
        List<String> out = new ArrayList<>();
        for (String p : path) {
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    ParsedDocument html(String html, String fallbackTitle) {
        Document doc = Jsoup.parse(html);
        for (String tag : DROPPED_HTML) {
            doc.select(tag).remove();
        }
        String title = doc.title().strip();
        Element firstH1 = doc.selectFirst("h1");
        if (title.isEmpty() && firstH1 != null) {
            title = firstH1.text().strip();
        }
        HtmlVisitor visitor = new HtmlVisitor();
        NodeTraversor.traverse(visitor, doc.body());
        visitor.flush();
        return new ParsedDocument(title.isEmpty() ? fallbackTitle : title, visitor.sections.build());
    }

    /** Collects block text into paragraphs and tracks the heading path. */
    private static final class HtmlVisitor implements NodeVisitor {
        final SectionBuilder sections = new SectionBuilder();
        final String[] path = new String[6];
        final StringBuilder text = new StringBuilder();
        int headingLevel = 0;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
                text.append(t.getWholeText());
            } else if (node instanceof Element e) {
                String tag = e.normalName();
                if ("br".equals(tag)) {
                    text.append(' ');
                } else if (headingLevel(tag) > 0) {
                    flush();
                    headingLevel = headingLevel(tag);
                } else if (e.isBlock()) {
                    flush();
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                int level = headingLevel(tag);
                if (level > 0 && level == headingLevel) {
                    String heading = normalizeSpace(text.toString());
                    text.setLength(0);
                    headingLevel = 0;
                    if (!heading.isEmpty()) {
                        path[level - 1] = heading;
                        for (int i = level; i < path.length; i++) {
                            path[i] = null;
                        }
                        sections.heading(pathOf(path));
                    }
                } else if (e.isBlock() && headingLevel == 0 && !"br".equals(tag)) {
                    flush();
                }
            }
        }

        void flush() {
            if (headingLevel == 0) {
                sections.paragraph(normalizeSpace(text.toString()));
                text.setLength(0);
            }
        }

        private static int headingLevel(String tag) {
            if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                return tag.charAt(1) - '0';
            }
            return 0;
        }
    }

    ParsedDocument pdf(byte[] content, String source, String fallbackTitle) {
        try (PDDocument doc = Loader.loadPDF(content)) {
            String title = doc.getDocumentInformation() == null
                    ? null
                    : doc.getDocumentInformation().getTitle();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            List<Section> sections = new ArrayList<>();
            for (int page = 1; page <= doc.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = pdfText(stripper.getText(doc));
                if (!text.isBlank()) {
                    sections.add(new Section(List.of(), text, page));
                }
            }
            return new ParsedDocument(title == null || title.isBlank() ? fallbackTitle : title.strip(), sections);
        } catch (IOException e) {
            throw new DocumentParseException(source, DocumentFormat.PDF, String.valueOf(e.getMessage()), e);
        }
    }

    /** Joins a page's lines into paragraphs: a blank line ends one, a hyphen at a line end is undone. */
    private static String pdfText(String raw) {
        String t = raw.replace("\r\n", "\n").replace('\r', '\n');
        t = t.replaceAll("(\\p{Ll})-\\n(\\p{Ll})", "$1$2");
        StringBuilder out = new StringBuilder();
        for (String paragraph : t.split("\\n\\s*\\n")) {
            String p = normalizeSpace(paragraph);
            if (!p.isEmpty()) {
                if (out.length() > 0) {
                    out.append("\n\n");
                }
                out.append(p);
            }
        }
        return out.toString();
    }

    static String normalizeSpace(String s) {
        return s.replace('\u00a0', ' ').replaceAll("\\s+", " ").strip();
    }

    /** Accumulates paragraphs into sections, starting a new section at each heading. */
    private static final class SectionBuilder {
        private final List<Section> sections = new ArrayList<>();
        private List<String> path = List.of();
        private final StringBuilder text = new StringBuilder();

        void heading(List<String> newPath) {
            close();
            path = List.copyOf(newPath);
        }

        void paragraph(String paragraph) {
            if (paragraph.isBlank()) {
                return;
            }
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(paragraph.strip());
        }

        private void close() {
            if (text.length() > 0) {
                sections.add(new Section(path, text.toString(), 0));
                text.setLength(0);
            }
        }

        List<Section> build() {
            close();
            return sections;
        }
    }
}
