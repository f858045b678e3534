package dev.rowcast.example.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * README.md's getting-started section and examples/minimal-war cannot drift apart: every file the README shows is the
 * example's file, every file of the example is shown, and the example builds on its own against the library this
 * repository builds, with the versions the library is tested with.
 */
class ReadmeExampleTest {

    private final Readme readme = new Readme();

    @Test
    void should_show_each_example_file_exactly_as_it_is() {
        List<Readme.Block> blocks = readme.exampleBlocks();
        assertFalse(blocks.isEmpty(), "README.md ties no code block to the example");
        StringBuilder drift = new StringBuilder();
        for (Readme.Block block : blocks) {
            assertTrue(Files.isRegularFile(block.file()), block.marker() + ": no such file " + block.file());
            String expected = Readme.normalize(block.expected());
            String shown = Readme.normalize(block.shown());
            if (!expected.equals(shown)) {
                drift.append("\n--- ").append(block.marker()).append(": ").append(firstDifference(expected, shown));
            }
        }
        if (drift.length() > 0) {
            fail("README.md and examples/minimal-war differ; change both together:" + drift);
        }
    }

    @Test
    void should_show_every_source_file_of_the_example() throws IOException {
        Set<Path> shown = readme.exampleBlocks().stream().filter(b -> b.region() == null).map(Readme.Block::file)
                .collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Readme.EXAMPLE.resolve("src"))) {
            files.filter(Files::isRegularFile).filter(f -> !shown.contains(f))
                    .forEach(f -> missing.add(Readme.ROOT.relativize(f).toString()));
        }
        assertTrue(missing.isEmpty(), "README.md must show the whole application; not shown: " + missing);
    }

    /** What the README tells a user to do first must install the library the example depends on. */
    @Test
    void should_install_the_library_the_example_depends_on() throws Exception {
        List<String> install = readme.commandStartingWith("mvn -B install -pl ");
        Path module = Readme.ROOT.resolve(install.get(install.indexOf("-pl") + 1));
        assertTrue(install.contains("-am"), "-am also installs the parent POM the library's POM names: " + install);
        Document library = pom(module.resolve("pom.xml"));
        Document root = pom(Readme.ROOT.resolve("pom.xml"));
        Document example = pom(Readme.EXAMPLE.resolve("pom.xml"));

        assertEquals(0, example.getDocumentElement().getElementsByTagName("parent").getLength(),
                "the example must build on its own, as the user's project does: no <parent>");
        Element rowcast = dependency(example, "dev.rowcast", "rowcast");
        assertEquals(text(library.getDocumentElement(), "artifactId"), "rowcast", module + " builds another artifact");
        assertEquals(text(root.getDocumentElement(), "version"), text(rowcast, "version"),
                "the example depends on the version this repository builds");
        assertEquals(property(root, "hibernate.version"),
                text(dependency(example, "org.hibernate.orm", "hibernate-core"), "version"),
                "the example uses the Hibernate version the library is tested with");
        assertEquals(property(root, "jakartaee.version"),
                text(dependency(example, "jakarta.platform", "jakarta.jakartaee-api"), "version"));
        assertTrue(Readme.read(Readme.EXAMPLE.resolve("pom.xml"))
                        .contains("<version>" + property(root, "payara.version") + "</version>"),
                "the example runs on the Payara Micro the suites use (" + property(root, "payara.version") + ")");
    }

    /** CI takes the README's first steps word for word: install the library, build the example on its own. */
    @Test
    void should_run_the_readmes_install_and_build_commands_in_ci() {
        String ci = Readme.read(Readme.ROOT.resolve(".ci/run"));
        String install = String.join(" ", readme.commandStartingWith("mvn -B install -pl "));
        assertTrue(ci.lines().anyMatch(line -> line.startsWith(install)), ".ci/run must run README.md's " + install);
        String build = "cd examples/minimal-war && mvn -B package";
        assertTrue(readme.text.contains("`" + build + "`"), "README.md must say how the example builds alone");
        assertTrue(ci.contains("(" + build), ".ci/run must build the example on its own: " + build);
    }

    private static String firstDifference(String expected, String shown) {
        List<String> a = expected.lines().toList();
        List<String> b = shown.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String left = i < a.size() ? a.get(i) : "<end>";
            String right = i < b.size() ? b.get(i) : "<end>";
            if (!left.equals(right)) {
                return "line " + (i + 1) + "\n  file:   " + left + "\n  README: " + right;
            }
        }
        return "whitespace";
    }

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static Element dependency(Document pom, String groupId, String artifactId) {
        NodeList dependencies = pom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (groupId.equals(text(dependency, "groupId")) && artifactId.equals(text(dependency, "artifactId"))) {
                return dependency;
            }
        }
        throw new AssertionError("examples/minimal-war/pom.xml has no dependency " + groupId + ":" + artifactId);
    }

    private static String property(Document pom, String name) {
        return text((Element) pom.getElementsByTagName("properties").item(0), name);
    }

    /** The text of a direct child element. */
    private static String text(Element parent, String child) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(child)) {
                return element.getTextContent().strip();
            }
        }
        return null;
    }
}
