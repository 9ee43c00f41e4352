package dev.tocsin.protocol.quarkus.testing;

import dev.tocsin.protocol.quarkus.ProtocolReflection;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a service JSON-encodes or -decodes by reflection, for the services' native-image reflection tests. A native
 * executable can construct and read only the classes registered for reflection; Jackson reaches records' accessors
 * and canonical constructors, and enums' constants, that way. A JVM build never notices a missing registration.
 *
 * <p>The JSON types of a service are found in its compiled classes, by two rules:
 * <ol>
 *   <li><b>REST signatures</b>: the return type and the entity parameter (one without a JAX-RS or RESTEasy
 *   Reactive annotation) of every JAX-RS method, in resources and REST client interfaces alike;</li>
 *   <li><b>codec and entity calls</b>: the static type of the value handed to {@code Json.encode}/{@code encodeBytes}
 *   /{@code convert}, to Jackson's {@code ObjectMapper.writeValueAs*}/{@code valueToTree}, or as the entity of a JAX-RS
 *   {@code Response}/{@code RestResponse} (read from the bytecode with ASM's {@link SimpleVerifier}), and the class
 *   literal given to {@code Json.decode}/{@code convert}.</li>
 * </ol>
 * Then the closure: generic arguments ({@code Uni<Presence>}, {@code List<FieldError>}), record components, fields
 * of other classes, permitted subclasses of sealed types. Only {@code dev.tocsin} types are kept (the JDK's and
 * libraries' own are not this project's to register). A value statically typed {@code Object} or {@code Map} tells
 * nothing and is not followed: maps and Vert.x {@code JsonObject}s need no registration.
 *
 * <p>A type counts as registered when it, or a class enclosing it, carries {@link RegisterForReflection}, or when it
 * is among the {@code targets}/{@code classNames} of any {@code @RegisterForReflection} of the service or of
 * {@link ProtocolReflection}.
 */
public final class JsonReflectionScan {

    private static final String ROOT = "dev.tocsin.";
    private static final String JSON = "dev/tocsin/protocol/json/Json";
    private static final String OBJECT_MAPPER = "com/fasterxml/jackson/databind/ObjectMapper";

    private final ClassLoader loader;
    private final List<Class<?>> classes;
    /** Required type, and why (the first place that requires it). */
    private final Map<String, String> required = new TreeMap<>();

    private JsonReflectionScan(ClassLoader loader, List<Class<?>> classes) {
        this.loader = loader;
        this.classes = classes;
    }

    /** Scans the compiled main classes of the service that {@code anyMainClass} belongs to. */
    public static JsonReflectionScan of(Class<?> anyMainClass) throws IOException, URISyntaxException {
        ClassLoader loader = anyMainClass.getClassLoader();
        Path root = Path.of(anyMainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class")).sorted()::iterator) {
                String entry = root.relativize(file).toString().replace('\\', '/');
                if (entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
                    continue;
                }
                String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                try {
                    classes.add(Class.forName(name, false, loader));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + name, e);
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no classes under " + root);
        }
        JsonReflectionScan scan = new JsonReflectionScan(loader, classes);
        scan.scan();
        return scan;
    }

    /** Every dev.tocsin type the service encodes or decodes by reflection, with where it was first seen. */
    public Map<String, String> required() {
        return required;
    }

    /** The required types that no {@code @RegisterForReflection} covers, with where each is used. */
    public Map<String, String> unregistered() {
        Set<String> registered = registered();
        Map<String, String> missing = new TreeMap<>();
        for (Map.Entry<String, String> type : required.entrySet()) {
            if (!registered.contains(type.getKey()) && !annotatedOrEnclosed(type.getKey())) {
                missing.put(type.getKey(), type.getValue());
            }
        }
        return missing;
    }

    private void scan() throws IOException {
        for (Class<?> type : classes) {
            for (Method method : type.getDeclaredMethods()) {
                if (isHttpMethod(method)) {
                    String where = type.getName() + "." + method.getName();
                    require(method.getGenericReturnType(), "returned by " + where);
                    for (Parameter parameter : method.getParameters()) {
                        if (isEntity(parameter)) {
                            require(parameter.getParameterizedType(), "request body of " + where);
                        }
                    }
                }
            }
            scanBytecode(type);
        }
    }

    private static boolean isHttpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEntity(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            String name = annotation.annotationType().getName();
            if (name.startsWith("jakarta.ws.rs.") || name.startsWith("org.jboss.resteasy.reactive.")) {
                return false;
            }
        }
        return true;
    }

    private void scanBytecode(Class<?> type) throws IOException {
        ClassNode node = new ClassNode();
        try (InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            new ClassReader(in).accept(node, ClassReader.SKIP_DEBUG);
        }
        for (MethodNode method : node.methods) {
            if (method.instructions.size() == 0) {
                continue;
            }
            Frame<BasicValue>[] frames = null;
            for (int i = 0; i < method.instructions.size(); i++) {
                AbstractInsnNode insn = method.instructions.get(i);
                if (!(insn instanceof MethodInsnNode call)) {
                    continue;
                }
                String where = "a call of " + call.name + " in " + type.getName() + "." + method.name;
                if (takesClassLiteral(call)) {
                    AbstractInsnNode previous = insn.getPrevious();
                    if (previous instanceof LdcInsnNode ldc && ldc.cst instanceof Type literal) {
                        requireName(literal.getClassName(), where);
                    }
                }
                int argument = encodedArgument(call);
                if (argument < 0) {
                    continue;
                }
                if (frames == null) {
                    frames = analyze(node, method);
                }
                Frame<BasicValue> frame = frames[i];
                if (frame == null) {
                    continue; // unreachable code
                }
                Type[] parameters = Type.getArgumentTypes(call.desc);
                BasicValue value = frame.getStack(frame.getStackSize() - parameters.length + argument);
                if (value.getType() != null && value.getType().getSort() == Type.OBJECT) {
                    requireName(value.getType().getClassName(), where);
                }
            }
        }
    }

    private Frame<BasicValue>[] analyze(ClassNode owner, MethodNode method) {
        SimpleVerifier verifier = new SimpleVerifier(Type.getObjectType(owner.name),
                owner.superName == null ? null : Type.getObjectType(owner.superName),
                owner.interfaces.stream().map(Type::getObjectType).toList(),
                (owner.access & org.objectweb.asm.Opcodes.ACC_INTERFACE) != 0);
        verifier.setClassLoader(loader);
        try {
            return new Analyzer<>(verifier).analyze(owner.name, method);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("cannot analyse " + owner.name + "." + method.name, e);
        }
    }

    /** The index of the argument that is JSON-encoded, or -1 when the call encodes nothing. */
    private static int encodedArgument(MethodInsnNode call) {
        Type[] parameters = Type.getArgumentTypes(call.desc);
        if (parameters.length == 0 || !parameters[0].getDescriptor().equals("Ljava/lang/Object;")) {
            return -1;
        }
        boolean codec = call.owner.equals(JSON)
                && (call.name.equals("encode") || call.name.equals("encodeBytes") || call.name.equals("convert"));
        boolean mapper = call.owner.equals(OBJECT_MAPPER)
                && (call.name.startsWith("writeValueAs") || call.name.equals("valueToTree") || call.name.equals("convertValue"));
        boolean entity = (call.owner.startsWith("jakarta/ws/rs/core/Response")
                || call.owner.startsWith("org/jboss/resteasy/reactive/RestResponse"))
                && (call.name.equals("entity") || call.name.equals("ok") || call.name.equals("accepted"));
        return codec || mapper || entity ? 0 : -1;
    }

    private static boolean takesClassLiteral(MethodInsnNode call) {
        Type[] parameters = Type.getArgumentTypes(call.desc);
        return parameters.length > 0 && parameters[parameters.length - 1].getDescriptor().equals("Ljava/lang/Class;")
                && (call.owner.equals(JSON) || call.owner.equals(OBJECT_MAPPER)
                && (call.name.equals("readValue") || call.name.equals("convertValue") || call.name.equals("treeToValue")));
    }

    private void requireName(String name, String why) {
        if (!name.startsWith(ROOT)) {
            return;
        }
        try {
            require(Class.forName(name, false, loader), why);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + name + " (" + why + ")", e);
        }
    }

    private void require(java.lang.reflect.Type root, String why) {
        Deque<java.lang.reflect.Type> pending = new ArrayDeque<>();
        Set<java.lang.reflect.Type> seen = new HashSet<>();
        pending.add(root);
        while (!pending.isEmpty()) {
            java.lang.reflect.Type type = pending.poll();
            if (!seen.add(type)) {
                continue;
            }
            if (type instanceof ParameterizedType parameterized) {
                pending.add(parameterized.getRawType());
                pending.addAll(Arrays.asList(parameterized.getActualTypeArguments()));
            } else if (type instanceof WildcardType wildcard) {
                pending.addAll(Arrays.asList(wildcard.getUpperBounds()));
            } else if (type instanceof GenericArrayType array) {
                pending.add(array.getGenericComponentType());
            } else if (type instanceof TypeVariable<?> variable) {
                pending.addAll(Arrays.asList(variable.getBounds()));
            } else if (type instanceof Class<?> clazz) {
                if (clazz.isArray()) {
                    pending.add(clazz.getComponentType());
                    continue;
                }
                if (!clazz.getName().startsWith(ROOT) || clazz.isAnnotation()) {
                    continue;
                }
                required.putIfAbsent(clazz.getName(), why);
                if (clazz.isRecord()) {
                    for (RecordComponent component : clazz.getRecordComponents()) {
                        pending.add(component.getGenericType());
                    }
                } else if (!clazz.isEnum() && !clazz.isInterface()) {
                    for (Field field : clazz.getDeclaredFields()) {
                        if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                            pending.add(field.getGenericType());
                        }
                    }
                }
                if (clazz.isSealed()) {
                    pending.addAll(Arrays.asList(clazz.getPermittedSubclasses()));
                }
            }
        }
    }

    private Set<String> registered() {
        Set<String> names = new HashSet<>();
        List<Class<?>> holders = new ArrayList<>(classes);
        holders.add(ProtocolReflection.class);
        for (Class<?> holder : holders) {
            RegisterForReflection annotation = holder.getAnnotation(RegisterForReflection.class);
            if (annotation == null) {
                continue;
            }
            for (Class<?> target : annotation.targets()) {
                names.add(target.getName());
            }
            names.addAll(Arrays.asList(annotation.classNames()));
        }
        return names;
    }

    /** Annotated itself (no targets: the class itself is registered), or nested in such a class. */
    private boolean annotatedOrEnclosed(String name) {
        try {
            Class<?> type = Class.forName(name, false, loader);
            boolean nested = false;
            for (Class<?> c = type; c != null; c = c.getEnclosingClass(), nested = true) {
                RegisterForReflection annotation = c.getAnnotation(RegisterForReflection.class);
                if (annotation != null && annotation.targets().length == 0 && annotation.classNames().length == 0
                        && (!nested || !annotation.ignoreNested())) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
