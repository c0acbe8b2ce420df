package dev.guildhall.core.registry.internal;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.json.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A compiled Mustache template from a definition, such as {@code instructions} or a rule's output
 * value. JMustache is used rather than hand-written substitution because it parses the template
 * once, lets us list the variables a template uses before any run ({@link Template#visit}) and
 * handles sections for optional text. Rendering never escapes HTML (these are prompts and
 * replies, not web pages) and renders missing values as empty text. Immutable and thread-safe.
 */
public final class TemplateText {
    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .escapeHTML(false)
            .defaultValue("")
            .withFormatter(TemplateText::format)
            .withCollector(new NoReflectionCollector());

    /** Finds a tag and its name on one line of template text, to point at the right line. */
    private static final Pattern TAG = Pattern.compile("\\{\\{[{&#^/]?\\s*([^}]*?)\\s*}?}}");

    private final String text;
    private final @Nullable Template template;

    private TemplateText(String text, @Nullable Template template) {
        this.text = text;
        this.template = template;
    }

    /** A template from plain text, for built-in defaults; {@code text} must not use undeclared variables. */
    public static TemplateText ofTrusted(String text) {
        return new TemplateText(text, text.contains("{{") ? COMPILER.compile(text) : null);
    }

    /**
     * Compiles the scalar at {@code node}, reporting syntax errors, partials and every variable
     * {@code scope} does not supply, each at its own line. Returns null when anything is wrong.
     */
    public static @Nullable TemplateText compile(
            ScalarNode node, String field, VariableScope scope, Problems problems) {
        String text = node.getValue();
        if (!text.contains("{{")) {
            return new TemplateText(text, null);
        }
        Template template;
        try {
            template = COMPILER.compile(text);
        } catch (MustacheException e) {
            problems.add(node, field, "template does not compile: " + e.getMessage());
            return null;
        }
        int before = problems.count();
        Set<String> variables = new LinkedHashSet<>();
        List<String> unsupported = new ArrayList<>();
        template.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String t) {}

            @Override
            public void visitVariable(String name) {
                variables.add(name);
            }

            @Override
            public boolean visitInclude(String name) {
                unsupported.add("{{>" + name + "}}");
                return false;
            }

            @Override
            public boolean visitParent(String name) {
                unsupported.add("{{<" + name + "}}");
                return false;
            }

            @Override
            public boolean visitSection(String name) {
                // Names inside a section resolve against the section's value first (a list item, an
                // object), so only the section's own name is checked.
                variables.add(name);
                return false;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                // An inverted section renders in the outer context, so its contents are checked too.
                variables.add(name);
                return true;
            }
        });
        for (String u : unsupported) {
            problems.add(node, field, "template uses " + u + ", but partials and parents are not supported");
        }
        for (String name : variables) {
            if (!scope.supplies(name)) {
                problems.add(
                        lineOf(node, name),
                        field,
                        "template variable '" + name + "' is not supplied by anything (" + scope.describe()
                                + "); declare it under 'inputs'");
            }
        }
        return problems.count() == before ? new TemplateText(text, template) : null;
    }

    public String text() {
        return text;
    }

    /** Renders with {@code context} (nested maps, lists and scalars); missing values render as empty text. */
    public String render(Map<String, Object> context) {
        return template == null ? text : template.execute(context);
    }

    /** The line of the first tag naming {@code name}: exact for literal blocks ({@code |}), else the value's line. */
    private static int lineOf(ScalarNode node, String name) {
        int start = Problems.lineOf(node);
        if (node.getScalarStyle() != DumperOptions.ScalarStyle.LITERAL) {
            return start;
        }
        String[] lines = node.getValue().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = TAG.matcher(lines[i]);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return start + 1 + i;
                }
            }
        }
        return start;
    }

    private static CharSequence format(Object value) {
        return value instanceof Map<?, ?> || value instanceof Collection<?> ? Json.write(value) : String.valueOf(value);
    }

    /** Looks values up in maps and lists only: templates never call methods on the data they render. */
    private static final class NoReflectionCollector extends BasicCollector {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
