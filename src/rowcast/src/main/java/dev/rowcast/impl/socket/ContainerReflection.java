package dev.rowcast.impl.socket;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds a container's non-public fields and methods by name for the guarded workarounds of this package, and
 * remembers each answer per class and name: a miss in a subclass throws inside the JDK, which is slow on a path taken
 * per socket. The keys are the container's classes, which live as long as the server; a redeployed Rowcast gets new
 * maps with its new classes.
 */
final class ContainerReflection {

    private static final Logger LOG = Logger.getLogger(ContainerReflection.class.getName());
    private static final Map<Class<?>, Map<String, Optional<Field>>> FIELDS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Map<String, Optional<Method>>> METHODS = new ConcurrentHashMap<>();

    private ContainerReflection() {
    }

    /**
     * The field {@code name} declared by {@code type} or a superclass, made accessible.
     *
     * @return null if there is none, or the module system does not let it be opened
     */
    static Field field(Class<?> type, String name) {
        return FIELDS.computeIfAbsent(type, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> findField(type, n)).orElse(null);
    }

    /** As {@link #field}, for callers that treat a missing field as a failure. */
    static Field requiredField(Class<?> type, String name) throws NoSuchFieldException {
        Field field = field(type, name);
        if (field == null) {
            throw new NoSuchFieldException(type.getName() + "." + name);
        }
        return field;
    }

    /**
     * The method {@code name} with these parameter types, declared by {@code type} or a superclass, made accessible.
     *
     * @return null if there is none, or it cannot be opened
     */
    static Method method(Class<?> type, String name, Class<?>... parameters) {
        String key = parameters.length == 0 ? name : name + Arrays.toString(parameters);
        return METHODS.computeIfAbsent(type, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> findMethod(type, name, parameters)).orElse(null);
    }

    /** The value of {@code target}'s field {@code name}; null for a null target. */
    static Object read(Object target, String name) throws ReflectiveOperationException {
        if (target == null) {
            return null;
        }
        return requiredField(target.getClass(), name).get(target);
    }

    static void write(Object target, String name, Object value) throws ReflectiveOperationException {
        requiredField(target.getClass(), name).set(target, value);
    }

    /** Calls {@code target}'s method {@code name} without arguments. */
    static Object call(Object target, String name) throws ReflectiveOperationException {
        if (target == null) {
            throw new NoSuchMethodException("null." + name);
        }
        Method method = method(target.getClass(), name);
        if (method == null) {
            throw new NoSuchMethodException(target.getClass().getName() + "." + name + "()");
        }
        return method.invoke(target);
    }

    private static Optional<Field> findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return Optional.of(field);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: field " + name + " of " + c.getName() + " is not accessible", e);
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Method> findMethod(Class<?> type, String name, Class<?>... parameters) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod(name, parameters);
                method.setAccessible(true);
                return Optional.of(method);
            } catch (NoSuchMethodException e) {
                // look in the superclass
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Rowcast: method " + name + " of " + c.getName() + " is not accessible", e);
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
