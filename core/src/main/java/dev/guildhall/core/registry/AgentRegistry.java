package dev.guildhall.core.registry;

import dev.guildhall.core.AgentId;
import dev.guildhall.core.Checks;
import dev.guildhall.core.NotFoundException;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.agent.AgentDescriptor;
import dev.guildhall.core.agent.AgentLookup;
import dev.guildhall.core.agent.AgentResult;
import dev.guildhall.core.agent.GuildhallAgent;
import dev.guildhall.core.agent.Tier;
import dev.guildhall.core.definition.DefinitionError;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.definition.Problems;
import dev.guildhall.core.registry.internal.AnnotatedClasses;
import dev.guildhall.core.registry.internal.DefinitionParser;
import dev.guildhall.core.registry.internal.ParsedDocument;
import dev.guildhall.core.registry.internal.Ref;
import dev.guildhall.core.tool.ToolRegistry;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Every agent of a deployment, by id, with lookups by tier, team and capability. Agents come from
 * Java classes carrying {@link GuildhallAgent} and from declarative YAML definitions (see
 * docs/AGENTS.md); both are checked by the same rules when the registry is built.
 *
 * <p>Immutable and thread-safe once built. Build one with {@link #builder()}.
 */
public final class AgentRegistry implements AgentLookup {
    private static final AgentRegistry EMPTY = new AgentRegistry(List.of());

    private final List<Agent> all;
    private final Map<AgentId, Agent> byId;
    private final Map<Tier, List<Agent>> byTier;
    private final Map<String, List<Agent>> byTeam;
    private final Map<String, List<Agent>> byCapability;

    private AgentRegistry(List<Entry> sortedEntries) {
        this.all = sortedEntries.stream().map(Entry::agent).toList();
        Map<AgentId, Agent> ids = new HashMap<>();
        Map<Tier, List<Agent>> tiers = new EnumMap<>(Tier.class);
        Map<String, List<Agent>> teams = new HashMap<>();
        Map<String, List<Agent>> capabilities = new HashMap<>();
        for (Entry e : sortedEntries) {
            ids.put(e.descriptor().id(), e.agent());
            tiers.computeIfAbsent(e.descriptor().tier(), t -> new ArrayList<>()).add(e.agent());
            teams.computeIfAbsent(e.descriptor().team(), t -> new ArrayList<>()).add(e.agent());
            for (String c : e.descriptor().capabilities()) {
                capabilities.computeIfAbsent(c, x -> new ArrayList<>()).add(e.agent());
            }
        }
        this.byId = Map.copyOf(ids);
        this.byTier = copy(tiers);
        this.byTeam = copy(teams);
        this.byCapability = copy(capabilities);
    }

    /** A registry with no agents. */
    public static AgentRegistry empty() {
        return EMPTY;
    }

    /** Starts a registry; nothing is checked until {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The agent with {@code id}, or empty when there is none. */
    @Override
    public Optional<Agent> find(AgentId id) {
        return Optional.ofNullable(byId.get(Checks.notNull(id, "id")));
    }

    /**
     * The agent with {@code id}.
     *
     * @throws NotFoundException when there is none
     */
    @Override
    public Agent get(AgentId id) {
        return find(id).orElseThrow(() -> new NotFoundException("Agent", id));
    }

    /** Every agent, sorted by id. */
    public List<Agent> all() {
        return all;
    }

    public int size() {
        return all.size();
    }

    /** The agents matching every criterion of {@code query}, sorted by id. */
    public List<Agent> query(AgentQuery query) {
        Checks.notNull(query, "query");
        List<Agent> candidates = all;
        if (query.tier() != null) {
            candidates = smaller(candidates, byTier.getOrDefault(query.tier(), List.of()));
        }
        if (query.team() != null) {
            candidates = smaller(candidates, byTeam.getOrDefault(query.team(), List.of()));
        }
        for (String c : query.capabilities()) {
            candidates = smaller(candidates, byCapability.getOrDefault(c, List.of()));
        }
        return candidates.stream().filter(a -> query.matches(a.descriptor())).toList();
    }

    private static List<Agent> smaller(List<Agent> a, List<Agent> b) {
        return a.size() <= b.size() ? a : b;
    }

    private static <K> Map<K, List<Agent>> copy(Map<K, List<Agent>> index) {
        return index.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    private record Entry(Agent agent, AgentDescriptor descriptor) {}

    /**
     * Collects agents from classes, packages and YAML files, then checks them all at once in
     * {@link #build()}. Problems are collected rather than thrown as they are found, so a load
     * reports every one of them. Not thread-safe; use one builder on one thread.
     */
    public static final class Builder {
        private final List<Candidate> candidates = new ArrayList<>();
        private final List<DefinitionError> errors = new ArrayList<>();
        private ToolRegistry tools = ToolRegistry.empty();

        private Builder() {}

        /** The tools agents may name; a declarative agent naming any other tool is an error. Empty by default. */
        public Builder tools(ToolRegistry newTools) {
            this.tools = Checks.notNull(newTools, "tools");
            return this;
        }

        /** Adds an agent built in code. */
        public Builder add(Agent agent) {
            Checks.notNull(agent, "agent");
            Problems problems = new Problems(AnnotatedClasses.sourceOf(agent.getClass()));
            AgentDescriptor descriptor = AnnotatedClasses.descriptorOf(agent, problems);
            errors.addAll(problems.errors());
            if (descriptor != null) {
                String source = descriptor.source().isEmpty() ? problems.source() : descriptor.source();
                candidates.add(new Candidate(descriptor.id(), source, 0, agent, List.of(), List.of()));
            }
            return this;
        }

        /** Adds a class carrying {@link GuildhallAgent}, instantiated through its public no-argument constructor. */
        public Builder addAnnotated(Class<?> type) {
            Checks.notNull(type, "type");
            Problems problems = new Problems(AnnotatedClasses.sourceOf(type));
            Agent agent = AnnotatedClasses.instantiate(type, problems);
            errors.addAll(problems.errors());
            if (agent != null) {
                add(agent);
            } else {
                GuildhallAgent a = type.getAnnotation(GuildhallAgent.class);
                if (a != null && DefinitionParser.ID.matcher(a.id()).matches()) {
                    // Keeps the id in play so a duplicate is reported in the same load.
                    candidates.add(new Candidate(AgentId.of(a.id()), problems.source(), 0, null, List.of(), List.of()));
                }
            }
            return this;
        }

        /**
         * Adds every class carrying {@link GuildhallAgent} in {@code packages} and their
         * sub-packages, found with ClassGraph. Only the named packages are scanned, which keeps
         * start-up fast and avoids picking up other modules' agents by accident.
         */
        public Builder scan(String... packages) {
            Checks.check(packages != null && packages.length > 0, "packages must not be empty, was none");
            try (ScanResult result = new ClassGraph()
                    .enableAnnotationInfo()
                    .ignoreClassVisibility() // Package-private agents with a public constructor are fine.
                    .disableRuntimeInvisibleAnnotations()
                    .acceptPackages(packages)
                    .scan()) {
                List<ClassInfo> found = result.getClassesWithAnnotation(GuildhallAgent.class).stream()
                        .sorted(Comparator.comparing(ClassInfo::getName))
                        .toList();
                for (ClassInfo info : found) {
                    Class<?> type;
                    try {
                        type = info.loadClass();
                    } catch (IllegalArgumentException e) {
                        errors.add(new DefinitionError(
                                "class:" + info.getName(), 0, null, "cannot be loaded: " + e.getMessage()));
                        continue;
                    }
                    addAnnotated(type);
                }
            }
            return this;
        }

        /**
         * Loads one YAML file, or every {@code *.yaml} and {@code *.yml} file under a directory
         * (recursively, in path order). Files are named in messages by their path relative to
         * {@code dirOrFile}.
         */
        public Builder loadDefinitions(Path dirOrFile) {
            Checks.notNull(dirOrFile, "dirOrFile");
            if (Files.isRegularFile(dirOrFile)) {
                load(dirOrFile.getFileName().toString(), dirOrFile);
                return this;
            }
            if (!Files.isDirectory(dirOrFile)) {
                errors.add(new DefinitionError(dirOrFile.toString(), 0, null, "does not exist"));
                return this;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dirOrFile)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(p ->
                                p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted()
                        .toList();
            } catch (IOException | UncheckedIOException e) {
                errors.add(new DefinitionError(dirOrFile.toString(), 0, null, "cannot be listed: " + e.getMessage()));
                return this;
            }
            // Parsing is independent per file, so large packs load on all cores; results keep path order.
            List<Loaded> loaded = files.parallelStream()
                    .map(f -> parse(dirOrFile.relativize(f).toString().replace('\\', '/'), f))
                    .toList();
            loaded.forEach(this::accept);
            return this;
        }

        /** Loads the YAML documents from {@code reader}, naming them {@code name} in messages (a classpath resource, say). */
        public Builder loadDefinitions(String name, Reader reader) {
            Checks.notBlank(name, "name");
            Checks.notNull(reader, "reader");
            Problems problems = new Problems(name);
            accept(new Loaded(problems, DefinitionParser.parse(reader, problems)));
            return this;
        }

        private void load(String name, Path file) {
            accept(parse(name, file));
        }

        private static Loaded parse(String name, Path file) {
            Problems problems = new Problems(name);
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return new Loaded(problems, DefinitionParser.parse(reader, problems));
            } catch (IOException | UncheckedIOException e) {
                problems.add(0, null, "cannot be read: " + e.getMessage());
                return new Loaded(problems, List.of());
            }
        }

        private void accept(Loaded loaded) {
            errors.addAll(loaded.problems().errors());
            for (ParsedDocument d : loaded.documents()) {
                Agent agent = d.definition() == null ? null : new DeclarativeAgent(d.definition());
                candidates.add(
                        new Candidate(d.id(), loaded.problems().source(), d.line(), agent, d.tools(), d.handoffs()));
            }
        }

        /**
         * Checks everything added together (tools exist, ids are unique, hand-overs name known
         * agents) and returns the registry.
         *
         * @throws InvalidDefinitionException with every problem found, sorted by source and line
         */
        public AgentRegistry build() {
            List<DefinitionError> all = new ArrayList<>(errors);
            Map<AgentId, Candidate> firstById = new HashMap<>();
            for (Candidate c : candidates) {
                if (c.id() == null) {
                    continue;
                }
                Candidate first = firstById.putIfAbsent(c.id(), c);
                if (first != null) {
                    all.add(new DefinitionError(
                            c.source(),
                            c.line(),
                            "id",
                            "duplicate agent id '" + c.id() + "': also defined at " + first.location()));
                }
            }
            Set<String> toolNames = new TreeSet<>(tools.names());
            for (Candidate c : candidates) {
                for (Ref t : c.tools()) {
                    if (!toolNames.contains(t.name())) {
                        all.add(new DefinitionError(
                                c.source(),
                                t.line(),
                                t.field(),
                                "unknown tool '" + t.name() + "'; known tools: "
                                        + (toolNames.isEmpty()
                                                ? "none (pass them with AgentRegistry.builder().tools(...))"
                                                : String.join(", ", toolNames))));
                    }
                }
                for (Ref h : c.handoffs()) {
                    if (!firstById.containsKey(AgentId.of(h.name()))) {
                        all.add(new DefinitionError(
                                c.source(),
                                h.line(),
                                h.field(),
                                "unknown agent '" + h.name() + "'; next steps are '" + AgentResult.ESCALATE
                                        + "' or the id of an agent in this registry"));
                    }
                }
            }
            if (!all.isEmpty()) {
                all.sort(Comparator.comparing(DefinitionError::source).thenComparingInt(DefinitionError::line));
                throw new InvalidDefinitionException(all);
            }
            List<Entry> entries = candidates.stream()
                    .map(c -> new Entry(c.agent(), c.agent().descriptor()))
                    .sorted(Comparator.comparing(e -> e.descriptor().id().value()))
                    .toList();
            return new AgentRegistry(entries);
        }

        private record Loaded(Problems problems, List<ParsedDocument> documents) {}

        private record Candidate(
                @Nullable AgentId id,
                String source,
                int line,
                @Nullable Agent agent,
                List<Ref> tools,
                List<Ref> handoffs) {
            String location() {
                return line > 0 ? source + ":" + line : source;
            }
        }
    }
}
