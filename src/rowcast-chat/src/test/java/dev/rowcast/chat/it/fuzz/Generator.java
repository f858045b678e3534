package dev.rowcast.chat.it.fuzz;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

import dev.rowcast.chat.it.fuzz.Oracle.SocketModel;
import dev.rowcast.chat.it.fuzz.Step.End;
import dev.rowcast.chat.it.fuzz.Step.EndKind;
import dev.rowcast.chat.it.fuzz.Step.Wire;

/**
 * Makes the frames, one {@link Step} at a time, from one seeded {@link Random}: the same seed gives the same frames.
 * Each generator has a name ({@code fuzz.skip}, the report) and a weight.
 */
final class Generator {

    /** The conversations and the honest stream's epoch, known before fuzzing starts. */
    record World(long honest, long shared, long evesOwn, String epoch) {
    }

    private record Weighted(String name, int weight) {
    }

    private static final List<Weighted> GENERATORS = List.of(
            new Weighted("ping", 140), new Weighted("subscribe", 110), new Weighted("unsubscribe", 50),
            new Weighted("fields", 200), new Weighted("shape", 60), new Weighted("numbers", 70),
            new Weighted("unicode", 50), new Weighted("lone-surrogate", 20), new Weighted("mutate", 60),
            new Weighted("junk", 40), new Weighted("binary", 40), new Weighted("fragmented", 40),
            new Weighted("control", 30), new Weighted("nesting", 8), new Weighted("huge-string", 6),
            new Weighted("trailing-data", 8), new Weighted("unmasked", 4), new Weighted("utf8-invalid", 1),
            new Weighted("protocol", 1), new Weighted("oversize-frame", 1), new Weighted("oversize-message", 1),
            new Weighted("close", 1), new Weighted("drop", 1), new Weighted("talk", 60));

    private static final int TOTAL = GENERATORS.stream().mapToInt(Weighted::weight).sum();

    static final List<String> NAMES = GENERATORS.stream().map(Weighted::name).toList();

    /** Strings that test the edges of Unicode and of JSON escaping; none has a lone surrogate. */
    private static final String[] UNICODE = {
        "\uFFFE", "\uFFFF", "\uFDD0", "\uFDEF", "\uD83F\uDFFE" /* U+1FFFE */, "\uDBFF\uDFFF" /* U+10FFFF */,
        "\u2028", "\u2029", "\u0000", "\uFEFF", "\u202E", "e\u0301", "\uD83D\uDE00", "\u00e9", "\u20AC",
        "\u0661\u0662", "\u00A0", "\u3000", "\u0085", "\u007F", "\u001F", "\t\n\r\b\f", "\"\\/", "\uFFFD",
        "\uD800\uDC00" /* U+10000 */, "\u0378" /* unassigned */, "\uE000" /* private use */
    };

    private static final String[] LONE = { "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDC00\uD800", "a\uD800b",
        "\uD83D", "x\uDE00" };

    private static final String[] EDGE_NUMBERS = {
        "0", "-0", "0.0", "-0.0", "1", "-1", "1.5", "-1.5", "2.0", "1e1", "1E+1", "1e0", "10e-1", "1e400",
        "1E-400", "-1e400", "9223372036854775807", "9223372036854775808", "9223372036854776832",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551616", "4294967296", "2147483648",
        "123456789012345678901234567890", "0.1", "1e-7", "5e-324", "1.7976931348623157e308", "1e308", "1e309",
        "1e2147483647", "1e-2147483647", "1e-2147483648", "1e99999999999", "0e99999999999"
    };

    private final Random random;
    private final Oracle oracle;
    private final World world;
    private final Set<String> skip;
    private final int maxFrameBytes;
    private final int floodOneIn;

    Generator(Random random, Oracle oracle, World world, Set<String> skip, int maxFrameBytes, int floodOneIn) {
        this.random = random;
        this.oracle = oracle;
        this.world = world;
        this.skip = skip;
        this.maxFrameBytes = maxFrameBytes;
        this.floodOneIn = floodOneIn;
    }

    /** The user an episode connects as. */
    String user() {
        int r = random.nextInt(100);
        return r < 25 ? "alice" : r < 50 ? "bob" : r < 70 ? "eve" : "admin";
    }

    /** Whether the next episode is a flood, and of which kind; null for an ordinary episode. */
    String flood() {
        if (random.nextInt(Math.max(1, floodOneIn)) != 0) {
            return null;
        }
        String kind = List.of("ping-flood", "binary-flood", "junk-flood").get(random.nextInt(3));
        return skip.contains(kind) ? null : kind;
    }

    /** How many steps an ordinary episode has at most (before the generators end it themselves). */
    int episodeLength() {
        return random.nextInt(8) == 0 ? 1 + random.nextInt(20) : 50 + random.nextInt(1500);
    }

    int batchSize() {
        return 1 + random.nextInt(random.nextBoolean() ? 4 : 24);
    }

    Random random() {
        return random;
    }

    Step next(SocketModel socket) {
        for (int attempt = 0; ; attempt++) {
            String name = pick();
            if (skip.contains(name)) {
                continue;
            }
            // a step is built against a copy: a retried one must leave the model untouched
            SocketModel copy = copy(socket);
            Step step = build(name, copy);
            if (step.feature() != null && skip.contains(step.feature()) && attempt < 1000) {
                continue;
            }
            socket.following.clear();
            socket.following.addAll(copy.following);
            return step;
        }
    }

    private static SocketModel copy(SocketModel socket) {
        SocketModel copy = new SocketModel(socket.user);
        copy.following.addAll(socket.following);
        return copy;
    }

    private String pick() {
        int r = random.nextInt(TOTAL);
        for (Weighted g : GENERATORS) {
            r -= g.weight();
            if (r < 0) {
                return g.name();
            }
        }
        throw new IllegalStateException();
    }

    private Step build(String name, SocketModel socket) {
        return switch (name) {
            case "ping" -> message(name, J.obj("type", "ping"), socket, true);
            case "subscribe" -> message(name, subscribe(socket, "subscribe"), socket, true);
            case "unsubscribe" -> message(name, subscribe(socket, "unsubscribe"), socket, true);
            case "fields" -> message(name, fields(socket), socket, true);
            case "shape" -> message(name, shape(), socket, true);
            case "numbers" -> message(name, numbers(socket), socket, true);
            case "unicode" -> unicode(socket);
            case "lone-surrogate" -> message(name, lone(socket), socket, true);
            case "mutate" -> mutate(socket);
            case "junk" -> junk(socket);
            case "binary" -> binary();
            case "fragmented" -> fragmented(socket);
            case "control" -> control();
            case "nesting" -> nesting();
            case "huge-string" -> hugeString(socket);
            case "trailing-data" -> trailing(socket);
            case "unmasked" -> unmasked(socket);
            case "utf8-invalid" -> invalidUtf8(socket);
            case "protocol" -> protocol();
            case "oversize-frame" -> oversize(false);
            case "oversize-message" -> oversize(true);
            case "close" -> close();
            case "drop" -> drop(socket);
            case "talk" -> message(name, talk(socket), socket, true);
            default -> throw new IllegalArgumentException(name);
        };
    }

    // --- messages ---

    /** A text frame with the message, and the reply the oracle says is due. */
    private Step message(String name, J message, SocketModel socket, boolean addId) {
        if (addId && !J.has(message, "id")) {
            J id = id();
            if (id != null) {
                message = withMember(message, "id", id, random.nextBoolean());
            }
        }
        Expect reply = oracle.expect(message, socket);
        String text = J.write(message, random, random.nextInt(4) == 0);
        return new Step(name, feature(message, reply), List.of(text(text)), reply, List.of(), null);
    }

    private static Wire text(String text) {
        return Wire.frame(FuzzSocket.FIN | FuzzSocket.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The known failure a message runs into: client text with a lone surrogate that the reply echoes. */
    private static String feature(J message, Expect reply) {
        for (Expect.Outcome outcome : reply.outcomes()) {
            if (outcome.id() instanceof J.Str s && hasLone(s.value())) {
                return "lone-surrogate-echo";
            }
            if ("unknown_channel".equals(outcome.code()) && J.get(message, "channel") instanceof J.Str c
                    && hasLone(c.value())) {
                return "lone-surrogate-echo";
            }
            if ("invalid_scope".equals(outcome.code()) && J.get(J.get(message, "scope"), "col") instanceof J.Str c
                    && hasLone(c.value())) {
                return "lone-surrogate-echo";
            }
        }
        return null;
    }

    static boolean hasLone(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private J withMember(J message, String name, J value, boolean first) {
        if (!(message instanceof J.Obj o)) {
            return message;
        }
        List<Map.Entry<String, J>> members = new ArrayList<>(o.members());
        members.add(first ? 0 : members.size(), Map.entry(name, value));
        return new J.Obj(members);
    }

    /** A subscribe or unsubscribe most likely to be accepted: the streams of this world, as members or not. */
    private J subscribe(SocketModel socket, String type) {
        J.Obj message = J.obj("type", type, "channel", Oracle.CHANNEL, "scope", streamScope(socket, type));
        if (random.nextInt(16) == 0) {
            // a channel for role admin only: others are refused before its scope is looked at
            message = J.obj("type", type, "channel", Oracle.ADMIN_CHANNEL, "scope", J.obj("col",
                    random.nextInt(4) == 0 ? Oracle.COLUMN : Oracle.ADMIN_COLUMN, "value", random.nextInt(3)));
        }
        if (type.equals("subscribe") && random.nextInt(5) == 0) {
            message = (J.Obj) withMember(message, "from", from(), false);
        }
        if (random.nextInt(10) == 0) {
            message = (J.Obj) withMember(message, "x" + random.nextInt(3), any(2), random.nextBoolean());
        }
        return message;
    }

    /** Mostly a stream the socket follows, for what only followers may do; else any of this world's. */
    private J streamScope(SocketModel socket, String type) {
        if (!type.equals("subscribe") && !socket.following.isEmpty() && random.nextInt(3) > 0) {
            Oracle.Stream stream = socket.following.stream().skip(random.nextInt(socket.following.size()))
                    .findFirst().orElseThrow();
            return J.obj("col", stream.column(), "value", J.num(stream.value()));
        }
        return J.obj("col", Oracle.COLUMN, "value", conversationValue());
    }

    /**
     * Presence, broadcasts and proposals (docs/protocol.md, "Talking back"), valid-shaped with random values: join
     * and leave, broadcasts of any data (some over the size bound) and event name, and proposals of names no handler
     * has (nothing is written, so the honest clients' stream is left alone).
     */
    private J talk(SocketModel socket) {
        int r = random.nextInt(10);
        if (r < 6) {
            String type = List.of("join", "leave", "broadcast").get(random.nextInt(3));
            J scope = streamScope(socket, type);
            if (random.nextInt(12) == 0) {
                scope = J.obj("col", Oracle.ADMIN_COLUMN, "value", random.nextInt(3));
            }
            String channel = scope instanceof J.Obj o && J.get(o, "col") instanceof J.Str c
                    && c.value().equals(Oracle.ADMIN_COLUMN) ? Oracle.ADMIN_CHANNEL : Oracle.CHANNEL;
            J.Obj message = J.obj("type", type, "channel", channel, "scope", scope);
            if (type.equals("broadcast")) {
                if (random.nextInt(10) > 0) {
                    message = (J.Obj) withMember(message, "event", J.str(random.nextInt(6) == 0
                            ? List.of("", "a b", "x".repeat(65), "typing\u0000", "\u00e9").get(random.nextInt(5))
                            : List.of("typing", "cursor", "x", "a.b-c_d").get(random.nextInt(4))), false);
                }
                if (random.nextBoolean()) {
                    // small, or far over the 2,048-character bound: never near it, where escaping decides
                    J data = random.nextInt(8) == 0 ? J.str(ascii(3_000 + random.nextInt(3_000))) : any(2);
                    message = (J.Obj) withMember(message, "data", data, false);
                }
                if (random.nextInt(8) == 0) {
                    message = (J.Obj) withMember(message, "from", J.obj("user", "mallory"), false);
                }
            }
            return message;
        }
        J.Obj propose = J.obj("type", "propose", "name", J.str(random.nextInt(5) == 0
                ? List.of("", "a b", "x".repeat(65), "\u00e9").get(random.nextInt(4))
                : "fuzz." + ascii(1 + random.nextInt(8)).replaceAll("[^!-~]", "_")), "payload", any(2));
        if (random.nextInt(6) == 0) {
            propose = J.obj("type", "propose", "payload", any(1));
        }
        return propose;
    }

    private J conversationValue() {
        // the honest conversation's snapshot is the costly one: a sixth of the values
        long conversation = switch (random.nextInt(6)) {
            case 0 -> world.honest();
            case 1 -> world.shared();
            case 2 -> world.evesOwn();
            default -> 1_000_000L + random.nextInt(2_000);
        };
        return switch (random.nextInt(12)) {
            case 0 -> J.str(Long.toString(conversation));
            case 1 -> J.str(" " + conversation + " ");
            case 2 -> J.num(conversation + ".0");
            case 3 -> J.num(conversation + "e0");
            case 4 -> J.str(conversation + ".000");
            case 5 -> J.str(arabicIndic(conversation));
            default -> J.num(conversation);
        };
    }

    private static String arabicIndic(long value) {
        StringBuilder out = new StringBuilder();
        for (char c : Long.toString(value).toCharArray()) {
            out.append(c == '-' ? '-' : (char) ('\u0660' + (c - '0')));
        }
        return out.toString();
    }

    /** A request id of any shape; null: none. */
    private J id() {
        int r = random.nextInt(100);
        if (r < 25) {
            return null;
        }
        if (r < 45) {
            return J.num(random.nextInt(1000));
        }
        if (r < 60) {
            return J.str("s" + random.nextInt(100_000));
        }
        if (r < 68) {
            return J.str(unicodeString(1 + random.nextInt(4)));
        }
        if (r < 76) {
            return J.num(edgeNumber());
        }
        if (r < 80) {
            return J.str("");
        }
        if (r < 85) {
            return any(2); // often of a type an id may not have
        }
        if (r < 89) {
            return J.str(ascii(200 + random.nextInt(1800)));
        }
        if (r < 92) {
            return J.str(LONE[random.nextInt(LONE.length)]);
        }
        if (r < 96) {
            return J.num(random.nextLong());
        }
        return J.num(bigDigits(1 + random.nextInt(1100)));
    }

    private J from() {
        int r = random.nextInt(100);
        J epoch = random.nextInt(3) == 0 ? J.str(world.epoch()) : J.str(random.nextBoolean() ? "e" + random.nextInt(9)
                : unicodeString(1 + random.nextInt(3)));
        if (r < 40) {
            return J.obj("epoch", epoch, "seq", J.num(random.nextInt(400)));
        }
        if (r < 50) {
            return J.obj("epoch", epoch, "seq", J.num(Math.abs(random.nextLong())));
        }
        if (r < 65) {
            return J.obj("epoch", epoch, "seq", J.num(edgeNumber()));
        }
        if (r < 70) {
            // at and just past 2^63, where a long no longer holds it
            BigInteger seq = BigInteger.TWO.pow(63).add(BigInteger.valueOf(random.nextInt(3000) - 1000));
            return J.obj("epoch", epoch, "seq", J.num(seq));
        }
        if (r < 75) {
            return J.obj("epoch", J.str(ascii(random.nextBoolean() ? 128 : 129)), "seq", J.num(1));
        }
        if (r < 80) {
            return J.obj("epoch", J.str(LONE[random.nextInt(LONE.length)]), "seq", J.num(random.nextInt(9)));
        }
        if (r < 85) {
            return J.obj("seq", J.num(1));
        }
        if (r < 90) {
            return J.obj("epoch", any(1), "seq", any(1));
        }
        return any(2);
    }

    private String edgeNumber() {
        return EDGE_NUMBERS[random.nextInt(EDGE_NUMBERS.length)];
    }

    private String bigDigits(int length) {
        StringBuilder out = new StringBuilder(length);
        out.append((char) ('1' + random.nextInt(9)));
        while (out.length() < length) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    /** A random JSON value of any type, nested up to {@code depth}. */
    private J any(int depth) {
        int r = random.nextInt(depth > 0 ? 11 : 9);
        return switch (r) {
            case 0 -> J.NULL;
            case 1 -> J.TRUE;
            case 2 -> J.FALSE;
            case 3 -> J.num(random.nextInt(2000) - 1000);
            case 4 -> J.num(edgeNumber());
            case 5 -> J.str(ascii(random.nextInt(12)));
            case 6 -> J.str(unicodeString(1 + random.nextInt(3)));
            case 7 -> J.num(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 8 -> J.str(Long.toString(random.nextLong()));
            case 9 -> {
                List<J> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(any(depth - 1));
                }
                yield new J.Arr(items);
            }
            default -> {
                List<Map.Entry<String, J>> members = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    members.add(Map.entry(random.nextBoolean() ? ascii(1 + random.nextInt(6))
                            : List.of("type", "id", "channel", "scope", "col", "value", "from", "epoch", "seq")
                                    .get(random.nextInt(9)), any(depth - 1)));
                }
                yield new J.Obj(members);
            }
        };
    }

    private String ascii(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) (0x20 + random.nextInt(0x5F)));
        }
        return out.toString();
    }

    private String unicodeString(int parts) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            out.append(random.nextInt(4) == 0 ? ascii(1 + random.nextInt(3)) : UNICODE[random.nextInt(UNICODE.length)]);
        }
        return out.toString();
    }

    /** A valid-shaped message with any field replaced, at random, by a value of any type. */
    private J fields(SocketModel socket) {
        String type = List.of("subscribe", "unsubscribe", "ping").get(random.nextInt(3));
        J base = type.equals("ping") ? J.obj("type", "ping") : subscribe(socket, type);
        J.Obj scope = (J.Obj) J.get(base, "scope");
        List<Map.Entry<String, J>> members = new ArrayList<>();
        if (base instanceof J.Obj o) {
            for (Map.Entry<String, J> m : o.members()) {
                if (m.getKey().equals("scope")) {
                    continue;
                }
                members.add(Map.entry(m.getKey(), random.nextInt(4) == 0 ? fieldValue(m.getKey()) : m.getValue()));
            }
        }
        if (scope != null || random.nextInt(4) == 0) {
            List<Map.Entry<String, J>> scopeMembers = new ArrayList<>();
            if (scope != null) {
                for (Map.Entry<String, J> m : scope.members()) {
                    if (random.nextInt(8) > 0) {
                        scopeMembers.add(Map.entry(m.getKey(), random.nextInt(3) == 0 ? fieldValue(m.getKey())
                                : m.getValue()));
                    }
                }
            }
            J scopeValue = random.nextInt(10) == 0 ? any(2) : new J.Obj(scopeMembers);
            members.add(random.nextInt(members.size() + 1), Map.entry("scope", scopeValue));
        }
        if (random.nextInt(6) == 0 && !members.isEmpty()) {
            members.remove(random.nextInt(members.size()));
        }
        if (random.nextInt(6) == 0) {
            members.add(random.nextInt(members.size() + 1), Map.entry(random.nextBoolean() ? "from" : ascii(4),
                    random.nextBoolean() ? from() : any(2)));
        }
        return new J.Obj(members);
    }

    private J fieldValue(String name) {
        return switch (name) {
            case "type" -> random.nextBoolean() ? any(1) : J.str(List.of("Subscribe", "ping ", "", "sub",
                    "unsubscribe\u0000", "p\u0069ng", "PING", "pong", "subscribed", "error").get(random.nextInt(10)));
            case "channel" -> random.nextBoolean() ? any(1) : J.str(List.of("conversation", "Message", "message ",
                    "", "messages", "m", "\u006d\u0065ssage", "mess\u0000age", ascii(3)).get(random.nextInt(9)));
            case "col" -> random.nextBoolean() ? any(1) : J.str(List.of("id", "author", "conversation", "",
                    "CONVERSATION_ID", "conversation_id ", "body", ascii(3)).get(random.nextInt(8)));
            case "value" -> scopeEdgeValue();
            case "from" -> from();
            default -> any(2);
        };
    }

    private J scopeEdgeValue() {
        return switch (random.nextInt(6)) {
            case 0 -> J.num(edgeNumber());
            case 1 -> J.str(List.of("abc", "", "1.5", "0".repeat(40) + "1", "NaN", "Infinity", "0x10", "1_000",
                    "\u0661\u0662", " 42\u2003", "+7", "-0", "1e3", "1e400", "9223372036854775808")
                    .get(random.nextInt(15)));
            case 2 -> any(2);
            case 3 -> J.num(bigDigits(1 + random.nextInt(1200)));
            default -> conversationValue();
        };
    }

    /** Messages of the wrong shape: not objects, fields missing, duplicated or of the wrong type. */
    private J shape() {
        return switch (random.nextInt(10)) {
            case 0 -> any(3);
            case 1 -> new J.Arr(List.of(J.obj("type", "ping")));
            case 2 -> J.obj();
            case 3 -> J.obj("type", "ping", "type", any(0));
            case 4 -> J.obj("type", any(0), "type", "ping");
            case 5 -> J.obj("type", "subscribe", "channel", "message", "scope", J.obj("col", "conversation_id"));
            case 6 -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("value", world.honest(), "col", any(0)));
            case 7 -> J.obj("type", "subscribe", "scope", J.obj("col", "conversation_id", "value", world.honest()));
            case 8 -> {
                J id = id();
                yield J.obj("type", List.of("subscribe", "unsubscribe", "ping").get(random.nextInt(3)), "id",
                        any(1), "id", id == null ? J.num(1) : id);
            }
            default -> J.obj("Type", "ping", "TYPE", "ping");
        };
    }

    /** Numbers at every edge, in id, scope value and from.seq. */
    private J numbers(SocketModel socket) {
        J number = switch (random.nextInt(6)) {
            case 0, 1 -> J.num(edgeNumber());
            case 2 -> J.num(bigDigits(1 + random.nextInt(1200)));
            case 3 -> J.num((random.nextBoolean() ? "-" : "") + bigDigits(1 + random.nextInt(30)) + "."
                    + bigDigits(1 + random.nextInt(30)) + "e" + (random.nextInt(2000) - 1000));
            case 4 -> J.num("1e" + List.of(2147483647L, -2147483647L, -2147483648L, 2147483648L, 100000L, -100000L)
                    .get(random.nextInt(6)));
            default -> J.num(BigInteger.TWO.pow(63 + random.nextInt(2)).add(BigInteger.valueOf(random.nextInt(5) - 2)));
        };
        return switch (random.nextInt(3)) {
            case 0 -> J.obj("type", "ping", "id", number);
            case 1 -> J.obj("type", random.nextBoolean() ? "subscribe" : "unsubscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", number));
            default -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", conversationValue()), "from",
                    J.obj("epoch", random.nextBoolean() ? world.epoch() : "x", "seq", number));
        };
    }

    /** Unicode edges in every field, and a byte order mark before the JSON. */
    private Step unicode(SocketModel socket) {
        if (random.nextInt(10) == 0) {
            String text = "\uFEFF" + J.write(J.obj("type", "ping"), random, false);
            return new Step("unicode", null, List.of(text(text)), Expect.error("invalid_json", null), List.of(),
                    null);
        }
        if (random.nextInt(8) == 0) {
            // over 64 chars with a pair across the 64th: an error message quotes (and cuts) channel and col
            String odd = "x".repeat(1 + 2 * random.nextInt(20)) + "\uD83D\uDE00".repeat(40);
            J message = random.nextBoolean()
                    ? J.obj("type", "subscribe", "channel", odd, "scope", J.obj("col", "conversation_id", "value", 1))
                    : J.obj("type", "subscribe", "channel", "message", "scope", J.obj("col", odd, "value", 1));
            return message("unicode", message, socket, random.nextBoolean()).withFeature("clip-splits-pair");
        }
        String edge = unicodeString(1 + random.nextInt(3));
        J message = switch (random.nextInt(7)) {
            case 0 -> J.obj("type", "ping", "id", edge);
            case 1 -> J.obj("type", edge);
            case 2 -> J.obj("type", "subscribe", "channel", edge, "scope", J.obj("col", "conversation_id", "value", 1));
            case 3 -> J.obj("type", "subscribe", "channel", "message", "scope", J.obj("col", edge, "value", 1));
            case 4 -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", edge));
            case 5 -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", conversationValue()), "from",
                    J.obj("epoch", edge, "seq", 0));
            default -> J.obj("type", "ping", edge, edge);
        };
        return message("unicode", message, socket, random.nextBoolean());
    }

    /** Lone surrogates, sent escaped ("\ud800"), wherever a string goes. */
    private J lone(SocketModel socket) {
        String lone = LONE[random.nextInt(LONE.length)];
        return switch (random.nextInt(8)) {
            case 0 -> J.obj("type", "ping", "id", lone);
            case 1 -> J.obj("type", lone);
            case 2 -> J.obj("type", "subscribe", "channel", lone, "scope", J.obj("col", "conversation_id", "value", 1));
            case 3 -> J.obj("type", "subscribe", "channel", "message", "scope", J.obj("col", lone, "value", 1));
            case 4 -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", lone));
            case 5 -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", conversationValue()), "from",
                    J.obj("epoch", lone, "seq", 0));
            case 6 -> J.obj("type", "subscribe", "id", lone, "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", conversationValue()));
            default -> J.obj("type", "ping", lone, lone);
        };
    }

    // --- text that is not (quite) JSON ---

    /** A valid message with a few characters deleted, inserted or replaced; judged by parsing it here. */
    private Step mutate(SocketModel socket) {
        J base = switch (random.nextInt(3)) {
            case 0 -> J.obj("type", "ping", "id", random.nextInt(100));
            case 1 -> subscribe(socket, random.nextBoolean() ? "subscribe" : "unsubscribe");
            default -> fields(socket);
        };
        StringBuilder text = new StringBuilder(J.write(base, random, false));
        for (int n = 1 + random.nextInt(3); n > 0 && text.length() > 0; n--) {
            int at = random.nextInt(text.length());
            if (Character.isSurrogate(text.charAt(at))) {
                continue;
            }
            char c = "{}[]:,\"\\ 0123456789-+.eEtfnulxa\u00e9".charAt(random.nextInt(32));
            switch (random.nextInt(3)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, c);
                default -> text.setCharAt(at, c);
            }
        }
        String mutated = text.toString();
        if (hasLone(mutated)) {
            return mutate(socket);
        }
        return judged("mutate", mutated, socket);
    }

    /** A text frame judged by parsing it here as the server's parser would; text after the value is refused. */
    private Step judged(String name, String text, SocketModel socket) {
        Parsed parsed = parse(text);
        Expect reply;
        String feature = null;
        if (parsed == null) {
            reply = Expect.error("invalid_json", null);
        } else if (parsed.trailing()) {
            reply = Expect.error("invalid_message", null); // docs/protocol.md: one JSON object, nothing after it
            feature = "trailing-data";
        } else {
            reply = oracle.expect(parsed.value(), socket);
            feature = feature(parsed.value(), reply);
        }
        return new Step(name, feature, List.of(text(text)), reply, List.of(), null);
    }

    private record Parsed(J value, boolean trailing) {
    }

    /** The text as JSON (as the server's parser reads it), or null if it is not JSON. */
    private static Parsed parse(String text) {
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                return null;
            }
            parser.next();
            J value = toJ(parser.getValue());
            boolean trailing;
            try {
                trailing = parser.hasNext();
            } catch (RuntimeException e) {
                trailing = true;
            }
            return new Parsed(value, trailing);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static J toJ(JsonValue value) {
        if (value instanceof JsonObject o) {
            List<Map.Entry<String, J>> members = new ArrayList<>();
            o.forEach((k, v) -> members.add(Map.entry(k, toJ(v))));
            return new J.Obj(members);
        }
        if (value instanceof JsonArray a) {
            return new J.Arr(a.stream().map(Generator::toJ).toList());
        }
        if (value instanceof JsonString s) {
            return J.str(s.getString());
        }
        if (value instanceof JsonNumber n) {
            return new J.Num(n.toString());
        }
        return new J.Lit(value.toString());
    }

    /** Text that cannot be JSON: it starts with what no JSON value starts with, or stops half way. */
    private Step junk(SocketModel socket) {
        String text = switch (random.nextInt(5)) {
            case 0 -> "}]:,xyz#@!%".charAt(random.nextInt(11)) + ascii(random.nextInt(100));
            case 1 -> "}]:,x".charAt(random.nextInt(5)) + unicodeString(1 + random.nextInt(6));
            case 2 -> {
                String whole = J.write(J.obj("type", "subscribe", "channel", "message", "scope",
                        J.obj("col", "conversation_id", "value", world.honest())), random, true);
                yield whole.substring(0, random.nextInt(whole.length()));
            }
            case 3 -> List.of("", " ", "\n", "\t \r\n").get(random.nextInt(4));
            default -> List.of("nul", "tru", "{", "[", "\"", "{\"type\":", "{\"type\":\"ping\"", "[1,]", "{,}",
                    "{\"a\" 1}", "'x'", "NaN", "-", "--1", "1.", ".5", "01", "+1", "\"\\x\"", "\"\\u12\"",
                    "\"\u0001\"", "{\"type\":\"ping\",}").get(random.nextInt(22));
        };
        return judged("junk", text, socket);
    }

    /** Binary frames: random bytes, or a message that would be valid as text. */
    private Step binary() {
        byte[] payload;
        if (random.nextInt(4) == 0) {
            payload = "{\"type\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8);
        } else {
            payload = new byte[random.nextInt(random.nextInt(10) == 0 ? 4000 : 64)];
            random.nextBytes(payload);
        }
        return new Step("binary", null, List.of(Wire.frame(FuzzSocket.FIN | FuzzSocket.BINARY, payload)),
                Expect.error("invalid_message", null), List.of(), null);
    }

    // --- frames ---

    /** A message in several fragments, cut anywhere (inside a UTF-8 sequence too), with control frames between. */
    private Step fragmented(SocketModel socket) {
        Step whole = switch (random.nextInt(4)) {
            case 0 -> message("fragmented", J.obj("type", "ping"), socket, true);
            case 1 -> message("fragmented", subscribe(socket, "subscribe"), socket, true);
            case 2 -> unicode(socket);
            default -> message("fragmented", fields(socket), socket, true);
        };
        byte[] bytes = whole.wires().get(0).payload();
        int pieces = 2 + random.nextInt(5);
        int[] cuts = new int[pieces + 1];
        cuts[pieces] = bytes.length;
        for (int i = 1; i < pieces; i++) {
            cuts[i] = random.nextInt(bytes.length + 1);
        }
        java.util.Arrays.sort(cuts);
        List<Wire> wires = new ArrayList<>();
        List<byte[]> pongs = new ArrayList<>();
        for (int i = 0; i < pieces; i++) {
            int opcode = i == 0 ? FuzzSocket.TEXT : FuzzSocket.CONTINUATION;
            wires.add(Wire.frame((i == pieces - 1 ? FuzzSocket.FIN : 0) | opcode,
                    java.util.Arrays.copyOfRange(bytes, cuts[i], cuts[i + 1])));
            if (i < pieces - 1 && random.nextInt(3) == 0) {
                byte[] payload = new byte[random.nextInt(126)];
                random.nextBytes(payload);
                boolean ping = random.nextBoolean();
                wires.add(Wire.frame(FuzzSocket.FIN | (ping ? FuzzSocket.PING : FuzzSocket.PONG), payload));
                if (ping) {
                    pongs.add(payload);
                }
            }
        }
        return new Step("fragmented", whole.feature(), wires, whole.reply(), pongs, null);
    }

    /** Ping control frames (answered with a pong of the same payload) and unsolicited pongs (ignored). */
    private Step control() {
        byte[] payload = new byte[random.nextInt(4) == 0 ? 8 : random.nextInt(126)];
        random.nextBytes(payload);
        if (payload.length == 8 && random.nextBoolean()) {
            // a forged acknowledgement: the server must not take it for one
            java.nio.ByteBuffer.wrap(payload).putLong(random.nextBoolean() ? Long.MAX_VALUE : random.nextLong());
        }
        boolean ping = random.nextBoolean();
        Wire wire = Wire.frame(FuzzSocket.FIN | (ping ? FuzzSocket.PING : FuzzSocket.PONG), payload);
        return new Step("control", null, List.of(wire), Expect.NOTHING, ping ? List.of(payload) : List.of(), null);
    }

    /** Arrays and objects nested around the parser's depth limit, and far past it up to the frame size. */
    private Step nesting() {
        int[] depths = { 10, 500, J.MAX_DEPTH - 1, J.MAX_DEPTH, J.MAX_DEPTH + 1, 2000, 10_000, 30_000 };
        int depth = depths[random.nextInt(depths.length)];
        String text;
        Expect reply;
        switch (random.nextInt(3)) {
            case 0 -> {
                text = "[".repeat(depth) + "]".repeat(depth);
                reply = Expect.error(depth > J.MAX_DEPTH ? "invalid_json" : "invalid_message", null);
            }
            case 1 -> {
                int objects = Math.min(depth, 10_000);
                text = "{\"a\":".repeat(objects) + "1" + "}".repeat(objects);
                reply = Expect.error(objects > J.MAX_DEPTH ? "invalid_json" : "invalid_message", null);
            }
            default -> {
                int inner = Math.min(depth, 30_000);
                text = "{\"type\":\"ping\",\"x\":" + "[".repeat(inner) + "]".repeat(inner) + "}";
                reply = inner + 1 > J.MAX_DEPTH ? Expect.error("invalid_json", null) : Expect.sync("pong", null, null);
            }
        }
        return new Step("nesting", null, List.of(text(text)), reply, List.of(), null);
    }

    /** Strings from a kilobyte up to the frame limit exactly, in every field, in 1- to 4-byte characters. */
    private Step hugeString(SocketModel socket) {
        String unit = List.of("x", "\u00e9", "\u20AC", "\uD83D\uDE00").get(random.nextInt(4));
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        J marker = J.str("\u0001");
        J message = switch (random.nextInt(6)) {
            case 0 -> J.obj("type", "ping", "id", marker);
            case 1 -> J.obj("type", "subscribe", "channel", marker, "scope", J.obj("col", "conversation_id", "value", 1));
            case 2 -> J.obj("type", "subscribe", "channel", "message", "scope", J.obj("col", marker, "value", 1));
            case 3 -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", marker));
            case 4 -> J.obj("type", "subscribe", "channel", "message", "scope",
                    J.obj("col", "conversation_id", "value", conversationValue()), "from",
                    J.obj("epoch", marker, "seq", 0));
            default -> J.obj("type", "ping", "pad", marker);
        };
        String frame = J.write(message, random, false);
        int rest = frame.getBytes(StandardCharsets.UTF_8).length - "\\u0001".length();
        int target = random.nextInt(3) == 0 ? maxFrameBytes : 1000 + random.nextInt(maxFrameBytes - 1000);
        int units = Math.max(1, (target - rest) / unitBytes);
        String big = unit.repeat(units);
        J filled = replace(message, big);
        Expect reply = oracle.expect(filled, socket);
        String text = frame.replace("\"\\u0001\"", "\"" + big + "\"");
        return new Step("huge-string", feature(filled, reply), List.of(text(text)), reply, List.of(), null);
    }

    private static J replace(J value, String with) {
        if (value instanceof J.Str s && s.value().equals("\u0001")) {
            return J.str(with);
        }
        if (value instanceof J.Obj o) {
            List<Map.Entry<String, J>> members = new ArrayList<>();
            o.members().forEach(m -> members.add(Map.entry(m.getKey(), replace(m.getValue(), with))));
            return new J.Obj(members);
        }
        return value;
    }

    /** A valid message with more text after it: refused with invalid_message. Whitespace after it is fine. */
    private Step trailing(SocketModel socket) {
        J message = random.nextBoolean() ? J.obj("type", "ping", "id", random.nextInt(99))
                : subscribe(copy(socket), "subscribe");
        String text = J.write(message, random, false);
        if (random.nextInt(4) == 0) {
            Expect reply = oracle.expect(message, socket);
            return new Step("trailing-data", feature(message, reply), List.of(text(text + " \n\t")), reply,
                    List.of(), null);
        }
        String tail = List.of(" x", "}", "]", ",", "{\"type\":\"ping\"}", "\"\"", "0", "null", "//", "\u00e9")
                .get(random.nextInt(10));
        // a value the parser refuses (a number past what it holds) is invalid_json before the tail is looked at
        return new Step("trailing-data", "trailing-data", List.of(text(text + tail)),
                Expect.error(J.parses(message) ? "invalid_message" : "invalid_json", null), List.of(), null);
    }

    /** A message in an unmasked frame: RFC 6455 says close 1002; the container answers it. Either is accepted. */
    private Step unmasked(SocketModel socket) {
        Step step = message("unmasked", J.obj("type", "ping", "id", random.nextInt(99)), socket, false);
        Wire wire = step.wires().get(0);
        return new Step("unmasked", null, List.of(new Wire(wire.first(), wire.payload(), false, false)), step.reply(),
                List.of(), new End(EndKind.SERVER_CLOSES, new int[] { 1002 }, true, false));
    }

    private static final byte[][] BAD_UTF8 = {
        { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xC0, (byte) 0x80 }, { (byte) 0xE0, (byte) 0x80, (byte) 0xAF },
        { (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
        { (byte) 0xED, (byte) 0xBF, (byte) 0xBF }, { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 },
        { (byte) 0x80 }, { (byte) 0xBF }, { (byte) 0xFE }, { (byte) 0xFF }, { (byte) 0xE2, (byte) 0x82 },
        { (byte) 0xF0, (byte) 0x9F, (byte) 0x98 }, { (byte) 0xC2 }, { (byte) 0xF8, (byte) 0x88, (byte) 0x80,
            (byte) 0x80, (byte) 0x80 }
    };

    /** Bytes that are not UTF-8 in a text frame, alone or inside a message, whole or fragmented: close 1007. */
    private Step invalidUtf8(SocketModel socket) {
        byte[] bad = BAD_UTF8[random.nextInt(BAD_UTF8.length)];
        byte[] message = J.write(J.obj("type", "ping", "id", "\u0001"), random, false)
                .getBytes(StandardCharsets.UTF_8);
        byte[] payload;
        if (random.nextBoolean()) {
            payload = bad;
        } else {
            String text = new String(message, StandardCharsets.UTF_8);
            int at = text.indexOf("\\u0001");
            byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] tail = text.substring(at + 6).getBytes(StandardCharsets.UTF_8);
            payload = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, payload, 0, head.length);
            System.arraycopy(bad, 0, payload, head.length, bad.length);
            System.arraycopy(tail, 0, payload, head.length + bad.length, tail.length);
        }
        List<Wire> wires = new ArrayList<>();
        if (random.nextBoolean() && payload.length > 1) {
            int cut = 1 + random.nextInt(payload.length - 1);
            wires.add(Wire.frame(FuzzSocket.TEXT, java.util.Arrays.copyOfRange(payload, 0, cut)));
            wires.add(Wire.frame(FuzzSocket.FIN | FuzzSocket.CONTINUATION,
                    java.util.Arrays.copyOfRange(payload, cut, payload.length)));
        } else {
            wires.add(Wire.frame(FuzzSocket.FIN | FuzzSocket.TEXT, payload));
        }
        return new Step("utf8-invalid", null, wires, Expect.NOTHING, List.of(),
                new End(EndKind.SERVER_CLOSES, new int[] { 1007 }, false, false));
    }

    /** Frames RFC 6455 forbids: the container must close with 1002. */
    private Step protocol() {
        byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
        List<Wire> wires = switch (random.nextInt(7)) {
            case 0 -> List.of(Wire.frame(FuzzSocket.FIN | (3 + random.nextInt(5)), ping));
            case 1 -> List.of(Wire.frame(FuzzSocket.FIN | (0xB + random.nextInt(5)), new byte[0]));
            case 2 -> List.of(Wire.frame(FuzzSocket.FIN | (0x10 << random.nextInt(3)) | FuzzSocket.TEXT, ping));
            case 3 -> List.of(Wire.frame(FuzzSocket.FIN | FuzzSocket.CONTINUATION, ping));
            case 4 -> List.of(Wire.frame(FuzzSocket.TEXT, ping), Wire.frame(FuzzSocket.FIN | FuzzSocket.TEXT, ping));
            case 5 -> List.of(Wire.frame(FuzzSocket.PING, new byte[3]));
            default -> List.of(Wire.frame(FuzzSocket.FIN | FuzzSocket.PING, new byte[126 + random.nextInt(200)]));
        };
        return new Step("protocol", null, wires, Expect.NOTHING, List.of(),
                new End(EndKind.SERVER_CLOSES, new int[] { 1002 }, false, false));
    }

    /** A message over the frame limit, in one frame or in fragments: close 1009. */
    private Step oversize(boolean fragmented) {
        int size = maxFrameBytes + 1 + (random.nextBoolean() ? random.nextInt(16) : random.nextInt(140_000));
        boolean binary = !fragmented && random.nextInt(4) == 0;
        byte[] payload = ("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(size - 24) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        List<Wire> wires = new ArrayList<>();
        if (fragmented) {
            int pieces = 2 + random.nextInt(6);
            int step = payload.length / pieces;
            for (int i = 0; i < pieces; i++) {
                int from = i * step;
                int to = i == pieces - 1 ? payload.length : from + step;
                wires.add(Wire.frame((i == pieces - 1 ? FuzzSocket.FIN : 0)
                        | (i == 0 ? FuzzSocket.TEXT : FuzzSocket.CONTINUATION),
                        java.util.Arrays.copyOfRange(payload, from, to)));
            }
        } else {
            wires.add(Wire.frame(FuzzSocket.FIN | (binary ? FuzzSocket.BINARY : FuzzSocket.TEXT), payload));
        }
        return new Step(fragmented ? "oversize-message" : "oversize-frame", fragmented ? null : "oversize-frame",
                wires, Expect.NOTHING, List.of(), new End(EndKind.SERVER_CLOSES, new int[] { 1009 }, false, false));
    }

    /** A close frame with a code valid or not, or none, or a reason that is not UTF-8; the server answers it. */
    private Step close() {
        int[] valid = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4429, 4999 };
        int[] invalid = { 0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535 };
        byte[] payload;
        int[] codes;
        switch (random.nextInt(6)) {
            case 0, 1, 2 -> {
                int code = random.nextInt(3) == 0 ? 3000 + random.nextInt(2000) : valid[random.nextInt(valid.length)];
                byte[] reason = ascii(random.nextInt(20)).getBytes(StandardCharsets.UTF_8);
                payload = new byte[2 + reason.length];
                payload[0] = (byte) (code >> 8);
                payload[1] = (byte) code;
                System.arraycopy(reason, 0, payload, 2, reason.length);
                codes = new int[] { code };
            }
            case 3 -> {
                int code = invalid[random.nextInt(invalid.length)];
                payload = new byte[] { (byte) (code >> 8), (byte) code };
                codes = code == 1004 || code == 1016 || code == 2000 ? new int[] { code, 1002 } : new int[] { 1002 };
            }
            case 4 -> {
                payload = random.nextBoolean() ? new byte[0] : new byte[] { 3 };
                codes = new int[] { payload.length == 0 ? 1000 : 1002 };
            }
            default -> {
                payload = new byte[] { 3, (byte) 0xE8, (byte) 0xC0, (byte) 0xAF };
                codes = new int[] { 1007 };
            }
        }
        return new Step("close", null, List.of(Wire.frame(FuzzSocket.FIN | FuzzSocket.CLOSE, payload)),
                Expect.NOTHING, List.of(), new End(EndKind.SERVER_CLOSES, codes, false, random.nextBoolean()));
    }

    /** The TCP connection ends without a close frame: reset or FIN, between frames or half way through one. */
    private Step drop(SocketModel socket) {
        List<Wire> wires = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            byte[] payload = J.write(subscribe(copy(socket), "subscribe"), random, false)
                    .getBytes(StandardCharsets.UTF_8);
            int keep = random.nextInt(payload.length);
            byte[] header = { (byte) (FuzzSocket.FIN | FuzzSocket.TEXT), (byte) (0x80 | Math.min(payload.length, 125)) };
            byte[] partial = new byte[2 + Math.min(4, keep) + keep];
            System.arraycopy(header, 0, partial, 0, 2);
            System.arraycopy(payload, 0, partial, 2 + Math.min(4, keep), keep);
            wires.add(new Wire(0, partial, false, true));
        }
        return new Step("drop", null, wires, Expect.NOTHING, List.of(),
                new End(random.nextBoolean() ? EndKind.RESET : EndKind.FIN, null, false, random.nextBoolean()));
    }

    // --- floods ---

    /** Frame {@code index} of a flood: pings with their index as id, binary frames or junk text. */
    static Wire floodFrame(String kind, int index) {
        return switch (kind) {
            case "ping-flood" -> text("{\"type\":\"ping\",\"id\":" + index + "}");
            case "binary-flood" -> Wire.frame(FuzzSocket.FIN | FuzzSocket.BINARY, new byte[] { 1, 2, 3 });
            default -> text("x" + index);
        };
    }

    /** The reply to a flood frame when it is not refused. */
    static Expect floodReply(String kind, int index) {
        return switch (kind) {
            case "ping-flood" -> Expect.sync("pong", null, J.num(index));
            case "binary-flood" -> Expect.error("invalid_message", null);
            default -> Expect.error("invalid_json", null);
        };
    }

    /** The flood's length: well past the burst, so that the limit applies unless the server is very slow. */
    int floodLength(int burst) {
        return 5 * burst + random.nextInt(12 * burst);
    }
}
