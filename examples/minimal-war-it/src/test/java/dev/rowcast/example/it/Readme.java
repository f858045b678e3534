package dev.rowcast.example.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README.md as the tests read it. The README ties a code block to a file of the example with a marker on the line
 * before it: {@code <!-- example: examples/minimal-war/PATH -->} for the whole file, or
 * {@code <!-- example: examples/minimal-war/pom.xml#NAME -->} for the lines between {@code readme:NAME} and
 * {@code /readme:NAME} in that file.
 */
final class Readme {

    /** The repository root: the module's ../.. under Maven. */
    static final Path ROOT = Path.of(System.getProperty("rowcast.root", "../..")).toAbsolutePath().normalize();
    static final Path EXAMPLE = ROOT.resolve("examples/minimal-war");

    private static final Pattern MARKER = Pattern.compile("<!-- example: (\\S+?)(?:#(\\S+))? -->");
    private static final Pattern FENCE = Pattern.compile("(?m)^[ \\t]*```");

    final String text;

    Readme() {
        this.text = read(ROOT.resolve("README.md"));
    }

    /** A code block the README ties to the example, and what it must equal. */
    record Block(String marker, Path file, String region, String shown) {

        String expected() {
            String content = read(file);
            return region == null ? content : regionOf(content, region, file);
        }
    }

    /** Every block with an {@code example:} marker, in README order. */
    List<Block> exampleBlocks() {
        List<Block> blocks = new ArrayList<>();
        Matcher marker = MARKER.matcher(text);
        while (marker.find()) {
            Matcher open = FENCE.matcher(text);
            if (!open.find(marker.end())) {
                throw new AssertionError("README.md: no code block after " + marker.group());
            }
            int bodyStart = text.indexOf('\n', open.end()) + 1;
            Matcher close = FENCE.matcher(text);
            if (!close.find(bodyStart)) {
                throw new AssertionError("README.md: unclosed code block after " + marker.group());
            }
            blocks.add(new Block(marker.group(), ROOT.resolve(marker.group(1)), marker.group(2),
                    text.substring(bodyStart, close.start())));
        }
        return blocks;
    }

    /** The lines of a fenced block in the README that start with {@code prefix}, split into words. */
    List<String> commandStartingWith(String prefix) {
        for (String line : text.split("\n")) {
            if (line.strip().startsWith(prefix)) {
                return List.of(line.strip().split("\\s+"));
            }
        }
        throw new AssertionError("README.md has no line starting with: " + prefix);
    }

    /**
     * The warnings table between {@code <!-- warnings -->} and {@code <!-- /warnings -->}: for each row, the text
     * in its first backticks, which a log record must contain to be that warning.
     */
    Map<String, String> documentedWarnings() {
        int start = text.indexOf("<!-- warnings -->");
        int end = text.indexOf("<!-- /warnings -->");
        if (start < 0 || end < start) {
            throw new AssertionError("README.md has no <!-- warnings --> ... <!-- /warnings --> table");
        }
        Map<String, String> warnings = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\|\\s*`([^`]+)`(.*)$").matcher(text.substring(start, end));
        while (row.find()) {
            warnings.put(row.group(1), row.group(0));
        }
        return warnings;
    }

    static String regionOf(String content, String name, Path file) {
        List<String> lines = content.lines().toList();
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("/readme:" + name + " ")) {
                if (from < 0) {
                    break;
                }
                return String.join("\n", lines.subList(from, i)) + "\n";
            }
            if (line.contains("readme:" + name + " ")) {
                from = i + 1;
            }
        }
        throw new AssertionError(file + " has no region readme:" + name + " ... /readme:" + name);
    }

    /** Common indentation and trailing blanks removed, so a block may sit in a list item. */
    static String normalize(String block) {
        List<String> lines = block.stripTrailing().lines().map(String::stripTrailing).toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
