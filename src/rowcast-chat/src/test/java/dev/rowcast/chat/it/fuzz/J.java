package dev.rowcast.chat.it.fuzz;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A JSON value as the fuzzer builds it: the {@link Oracle} judges the value, {@link #write} spells it in one of many
 * equivalent ways (escapes, whitespace). Strings hold what the server decodes, lone surrogates included; object
 * members may repeat a name (the server's parser keeps the last).
 */
sealed interface J {

    /** The parser in Payara Micro 6.2025.10 (Parsson) refuses deeper nesting and longer number tokens. */
    int MAX_DEPTH = 999;
    int MAX_NUMBER_TOKEN = 1100;

    record Obj(List<Map.Entry<String, J>> members) implements J {
    }

    record Arr(List<J> items) implements J {
    }

    record Str(String value) implements J {
    }

    /** A number as written; always valid JSON number syntax. */
    record Num(String token) implements J {

        BigDecimal decimal() {
            return new BigDecimal(token);
        }
    }

    /** {@code true}, {@code false} or {@code null}. */
    record Lit(String word) implements J {
    }

    /** Text that is not JSON (a bad token): the whole frame is then invalid_json. */
    record Raw(String text) implements J {
    }

    J NULL = new Lit("null");
    J TRUE = new Lit("true");
    J FALSE = new Lit("false");

    static Str str(String value) {
        return new Str(value);
    }

    static Num num(Object value) {
        return new Num(String.valueOf(value));
    }

    /** An object from name, value pairs; a value that is not a {@link J} is a string or a number. */
    static Obj obj(Object... namesAndValues) {
        List<Map.Entry<String, J>> members = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            members.add(new SimpleEntry<>((String) namesAndValues[i], of(namesAndValues[i + 1])));
        }
        return new Obj(members);
    }

    static J of(Object value) {
        if (value instanceof J j) {
            return j;
        }
        if (value instanceof String s) {
            return new Str(s);
        }
        if (value instanceof Number n) {
            return new Num(n.toString());
        }
        if (value instanceof Boolean b) {
            return b ? TRUE : FALSE;
        }
        throw new IllegalArgumentException(String.valueOf(value));
    }

    /** The last member of that name, as the server's parser sees it; null when absent. */
    static J get(J object, String name) {
        if (!(object instanceof Obj o)) {
            return null;
        }
        J found = null;
        for (Map.Entry<String, J> member : o.members()) {
            if (member.getKey().equals(name)) {
                found = member.getValue();
            }
        }
        return found;
    }

    static boolean has(J object, String name) {
        return object instanceof Obj o && o.members().stream().anyMatch(m -> m.getKey().equals(name));
    }

    /** Whether the server's parser reads this value at all. */
    /** The length of the value written compactly, as the server writes it again (for the broadcast size bound). */
    static int length(J value) {
        return write(value, new Random(0), false).length();
    }

    static boolean parses(J value) {
        return parses(value, 1);
    }

    private static boolean parses(J value, int depth) {
        if (value instanceof Raw) {
            return false;
        }
        if (value instanceof Num n) {
            if (n.token().length() > MAX_NUMBER_TOKEN) {
                return false;
            }
            try {
                n.decimal();
                return true;
            } catch (NumberFormatException e) {
                return false; // an exponent beyond what BigDecimal holds
            }
        }
        if (value instanceof Obj o) {
            return depth <= MAX_DEPTH && o.members().stream().allMatch(m -> parses(m.getValue(), depth + 1));
        }
        if (value instanceof Arr a) {
            return depth <= MAX_DEPTH && a.items().stream().allMatch(i -> parses(i, depth + 1));
        }
        return true;
    }

    /** JSON text for the value; {@code fancy} picks among equivalent spellings (escapes, whitespace). */
    static String write(J value, Random random, boolean fancy) {
        StringBuilder out = new StringBuilder();
        write(out, value, random, fancy);
        return out.toString();
    }

    private static void write(StringBuilder out, J value, Random random, boolean fancy) {
        if (value instanceof Obj o) {
            out.append('{');
            space(out, random, fancy);
            for (int i = 0; i < o.members().size(); i++) {
                if (i > 0) {
                    out.append(',');
                    space(out, random, fancy);
                }
                string(out, o.members().get(i).getKey(), random, fancy);
                space(out, random, fancy);
                out.append(':');
                space(out, random, fancy);
                write(out, o.members().get(i).getValue(), random, fancy);
                space(out, random, fancy);
            }
            out.append('}');
        } else if (value instanceof Arr a) {
            out.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                space(out, random, fancy);
                write(out, a.items().get(i), random, fancy);
            }
            out.append(']');
        } else if (value instanceof Str s) {
            string(out, s.value(), random, fancy);
        } else if (value instanceof Num n) {
            out.append(n.token());
        } else if (value instanceof Lit l) {
            out.append(l.word());
        } else {
            out.append(((Raw) value).text());
        }
    }

    private static void space(StringBuilder out, Random random, boolean fancy) {
        if (fancy && random.nextInt(16) == 0) {
            out.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    char[] HEX = "0123456789abcdef".toCharArray();
    char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private static void string(StringBuilder out, String value, Random random, boolean fancy) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                String shortForm = switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> null;
                };
                if (shortForm != null && !(fancy && random.nextBoolean())) {
                    out.append(shortForm);
                } else {
                    escape(out, c, random);
                }
            } else if (pair) {
                if (fancy && random.nextBoolean()) {
                    escape(out, c, random);
                    escape(out, value.charAt(i + 1), random);
                } else {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                escape(out, c, random); // a lone surrogate has no UTF-8 form: only its escape can carry it
            } else if (c == '/' && fancy && random.nextBoolean()) {
                out.append("\\/");
            } else if (fancy && random.nextInt(c < 0x80 ? 50 : 3) == 0) {
                escape(out, c, random);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static void escape(StringBuilder out, char c, Random random) {
        char[] hex = random.nextBoolean() ? HEX : HEX_UPPER;
        out.append("\\u").append(hex[(c >> 12) & 0xF]).append(hex[(c >> 8) & 0xF]).append(hex[(c >> 4) & 0xF])
                .append(hex[c & 0xF]);
    }
}
