package dev.guildhall.core.pack;

import dev.guildhall.core.Checks;
import dev.guildhall.core.agent.Agent;
import dev.guildhall.core.definition.DefinitionError;
import dev.guildhall.core.definition.InvalidDefinitionException;
import dev.guildhall.core.registry.AgentRegistry;
import dev.guildhall.core.tool.Tool;
import dev.guildhall.core.tool.ToolRegistry;
import dev.guildhall.core.workflow.Workflow;
import dev.guildhall.core.workflow.definition.WorkflowDefinitions;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds {@link GuildhallPack}s with {@link ServiceLoader} and loads what they contribute. Every
 * conflict fails loading with the names of both sides: two packs with one id, two tools with one
 * name, two agents with one id. Nothing is resolved by "first found wins", because which one is
 * found first depends on class path order. Stateless and thread-safe.
 */
public final class PackLoader {
    private static final String SERVICE_FILE = "META-INF/services/" + GuildhallPack.class.getName();

    private PackLoader() {}

    /**
     * Every pack {@code classLoader} lists, sorted by id.
     *
     * @throws InvalidDefinitionException when two packs share an id (naming both classes) or a
     *     listed pack cannot be instantiated
     */
    public static List<GuildhallPack> discover(ClassLoader classLoader) {
        Checks.notNull(classLoader, "classLoader");
        Map<PackId, GuildhallPack> byId = new LinkedHashMap<>();
        List<DefinitionError> errors = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<GuildhallPack> provider :
                    ServiceLoader.load(GuildhallPack.class, classLoader).stream()
                            .toList()) {
                GuildhallPack pack;
                try {
                    pack = provider.get();
                } catch (ServiceConfigurationError | RuntimeException e) {
                    errors.add(new DefinitionError(
                            source(provider.type()), 0, null, "cannot be instantiated: " + rootMessage(e)));
                    continue;
                }
                GuildhallPack first = byId.putIfAbsent(pack.id(), pack);
                if (first != null) {
                    errors.add(new DefinitionError(
                            source(pack.getClass()),
                            0,
                            "id",
                            "duplicate pack id '" + pack.id() + "': also provided by "
                                    + first.getClass().getName()));
                }
            }
        } catch (ServiceConfigurationError e) {
            errors.add(new DefinitionError(SERVICE_FILE, 0, null, rootMessage(e)));
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinitionException(errors);
        }
        return byId.values().stream()
                .sorted(Comparator.comparing(p -> p.id().value()))
                .toList();
    }

    /** Discovers the packs of {@code classLoader} and loads them; see {@link #load(List)}. */
    public static LoadedPacks load(ClassLoader classLoader) {
        return load(discover(classLoader));
    }

    /**
     * Starts every pack with {@code context} ({@link GuildhallPack#start}), then loads them as
     * {@link #load(List)} does.
     */
    public static LoadedPacks load(List<GuildhallPack> packs, PackContext context) {
        Checks.notNull(packs, "packs");
        Checks.notNull(context, "context");
        for (GuildhallPack pack : packs) {
            pack.start(context);
        }
        return load(packs);
    }

    /**
     * Loads the tools and agents of {@code packs} into one tool registry and one agent registry,
     * then their workflows against those agents.
     *
     * @throws InvalidDefinitionException with every problem: duplicate tool names, missing
     *     resources, and everything {@link AgentRegistry.Builder#build()} reports
     */
    public static LoadedPacks load(List<GuildhallPack> packs) {
        Checks.notNull(packs, "packs");
        List<DefinitionError> errors = new ArrayList<>();
        Map<String, GuildhallPack> toolOwners = new LinkedHashMap<>();
        List<Tool> allTools = new ArrayList<>();
        for (GuildhallPack pack : packs) {
            for (Tool tool : pack.tools()) {
                GuildhallPack owner = toolOwners.putIfAbsent(tool.name(), pack);
                if (owner != null) {
                    errors.add(new DefinitionError(
                            source(pack.getClass()),
                            0,
                            "tools",
                            "duplicate tool name '" + tool.name() + "': also provided by pack '" + owner.id() + "' ("
                                    + owner.getClass().getName() + ")"));
                } else {
                    allTools.add(tool);
                }
            }
        }
        ToolRegistry tools = ToolRegistry.of(allTools);
        AgentRegistry.Builder builder = AgentRegistry.builder().tools(tools);
        for (GuildhallPack pack : packs) {
            ClassLoader loader = pack.getClass().getClassLoader();
            for (String resource : pack.definitionResources()) {
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        errors.add(new DefinitionError(
                                source(pack.getClass()),
                                0,
                                "definitionResources",
                                "resource '" + resource + "' is not on the class path"));
                        continue;
                    }
                    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                        builder.loadDefinitions(resource, reader);
                    }
                } catch (IOException e) {
                    errors.add(new DefinitionError(resource, 0, null, "cannot be read: " + e.getMessage()));
                }
            }
            for (Class<? extends Agent> type : pack.agentClasses()) {
                builder.addAnnotated(type);
            }
            for (Agent agent : pack.agents(tools)) {
                builder.add(agent);
            }
        }
        AgentRegistry agents = null;
        try {
            agents = builder.build();
        } catch (InvalidDefinitionException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinitionException(errors);
        }
        List<Workflow> workflows = new ArrayList<>();
        for (GuildhallPack pack : packs) {
            ClassLoader loader = pack.getClass().getClassLoader();
            for (String resource : pack.workflowResources()) {
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) {
                        errors.add(new DefinitionError(
                                source(pack.getClass()),
                                0,
                                "workflowResources",
                                "resource '" + resource + "' is not on the class path"));
                        continue;
                    }
                    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                        workflows.add(WorkflowDefinitions.parse(resource, reader, agents));
                    }
                } catch (InvalidDefinitionException e) {
                    errors.addAll(e.errors());
                } catch (IOException e) {
                    errors.add(new DefinitionError(resource, 0, null, "cannot be read: " + e.getMessage()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidDefinitionException(errors);
        }
        return new LoadedPacks(packs, tools, agents, workflows);
    }

    private static String source(Class<?> type) {
        return "class:" + type.getName();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
