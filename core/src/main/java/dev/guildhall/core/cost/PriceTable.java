package dev.guildhall.core.cost;

import dev.guildhall.core.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The prices the cost ledger charges, per one million input and output tokens, which the operator
 * edits as a YAML file:
 *
 * <pre>{@code
 * currency: USD
 * models:
 *   "openai:gpt-4o-mini": { input: 0.15, output: 0.60 }
 *   "claude-sonnet-4-5": { input: 3.00, output: 15.00 }   # any provider serving this model
 *   "ollama:*": { input: 0, output: 0 }                   # every model of one provider
 * }</pre>
 *
 * <p>A lookup for {@code provider:model} tries, in order: {@code provider:model}; the same without a
 * dated snapshot suffix ({@code gpt-4o-2024-08-06} → {@code gpt-4o}); {@code model}; {@code model}
 * without the suffix; {@code provider:*}. A model with no price costs zero and is logged once as a
 * warning: an unknown price never fails a call.
 *
 * <p>Thread-safe: the gateway reads prices while an operator edits them.
 */
public final class PriceTable {
    /** Where the default prices ship, on the classpath. */
    public static final String DEFAULT_RESOURCE = "guildhall/prices.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(PriceTable.class);
    private static final Pattern DATED_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

    private final ConcurrentHashMap<String, ModelPrice> prices = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile String currency = "USD";

    private PriceTable() {}

    /** A table without prices: every model costs zero. */
    public static PriceTable empty() {
        return new PriceTable();
    }

    /** The prices shipped with Guildhall for common OpenAI and Anthropic models ({@value #DEFAULT_RESOURCE}). */
    public static PriceTable defaults() {
        try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "default price table " + DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a price table file.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a valid price table; the message names the file and entry
     */
    public static PriceTable load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read price table " + file, e);
        }
    }

    /** Parses a price table from YAML text; see the class comment for the format. */
    public static PriceTable parse(String yaml) {
        return parse(yaml, "price table");
    }

    private static PriceTable parse(String yaml, String source) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        PriceTable table = new PriceTable();
        if (root == null) {
            return table;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(source + ": must be a mapping with 'currency' and 'models'");
        }
        Object currency = map.get("currency");
        if (currency != null) {
            table.currency = Checks.notBlank(currency.toString(), source + ": currency");
        }
        Object models = map.get("models");
        if (models == null) {
            return table;
        }
        if (!(models instanceof Map<?, ?> entries)) {
            throw new IllegalArgumentException(source + ": 'models' must be a mapping of model to {input, output}");
        }
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> price)) {
                throw new IllegalArgumentException(
                        source + ": models." + key + " must be {input: <price>, output: <price>}");
            }
            table.put(
                    key,
                    new ModelPrice(
                            decimal(price.get("input"), source, key, "input"),
                            decimal(price.get("output"), source, key, "output")));
        }
        return table;
    }

    private static BigDecimal decimal(Object value, String source, String key, String field) {
        if (value == null) {
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "%s: models.%s.%s must be a number, was \"%s\"".formatted(source, key, field, value));
        }
    }

    /** The currency of every price and cost in this table, {@code USD} unless the file says otherwise. */
    public String currency() {
        return currency;
    }

    /**
     * Sets the price of {@code key}: {@code provider:model}, a bare {@code model} for any provider, or
     * {@code provider:*}.
     *
     * @return this table, for chaining
     */
    public PriceTable put(String key, ModelPrice price) {
        Checks.notBlank(key, "key");
        Checks.notNull(price, "price");
        prices.put(key.trim(), price);
        warned.clear();
        return this;
    }

    /** Removes the price of {@code key}; returns whether there was one. */
    public boolean remove(String key) {
        return prices.remove(key) != null;
    }

    /** Copies every price of {@code other} into this table, replacing prices with the same key. */
    public PriceTable putAll(PriceTable other) {
        other.prices.forEach(this::put);
        this.currency = other.currency;
        return this;
    }

    /** The price for {@code provider}'s {@code model}, found as the class comment describes. */
    public Optional<ModelPrice> find(String provider, String model) {
        String undated = DATED_SUFFIX.matcher(model).replaceFirst("");
        for (String key :
                new String[] {provider + ":" + model, provider + ":" + undated, model, undated, provider + ":*"}) {
            ModelPrice price = prices.get(key);
            if (price != null) {
                return Optional.of(price);
            }
        }
        return Optional.empty();
    }

    /**
     * The cost of a call; zero, with one warning per model, when the model has no price.
     */
    public BigDecimal cost(String provider, String model, long inputTokens, long outputTokens) {
        Optional<ModelPrice> price = find(provider, model);
        if (price.isEmpty()) {
            if (warned.add(provider + ":" + model)) {
                LOG.warn(
                        "No price for model {}:{}; its calls are recorded at cost 0. Add it to the price table.",
                        provider,
                        model);
            }
            return BigDecimal.ZERO;
        }
        return price.get().cost(inputTokens, outputTokens);
    }

    /** Every price by key, sorted; a snapshot. */
    public Map<String, ModelPrice> asMap() {
        return new TreeMap<>(prices);
    }

    /** This table as YAML in the format {@link #parse} reads. */
    public String toYaml() {
        Map<String, Object> models = new LinkedHashMap<>();
        asMap().forEach((key, price) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("input", price.inputPerMillion().toPlainString());
            p.put("output", price.outputPerMillion().toPlainString());
            models.put(key, p);
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("currency", currency);
        root.put("models", models);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return "# Prices per 1M tokens.\n" + new Yaml(options).dump(root);
    }

    /** Writes {@link #toYaml()} to {@code file}, replacing it. */
    public void save(Path file) {
        try {
            Files.writeString(file, toYaml());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write price table " + file, e);
        }
    }
}
