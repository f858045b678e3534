package dev.rowcast.chat.it.support;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of the server's /metrics (Prometheus text): each sample by its name and labels, as printed. */
public final class Metrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Map<String, Double> samples;
    private final String text;

    private Metrics(String text) {
        this.text = text;
        this.samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    public static Metrics scrape(URL base) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "metrics"))
                    .header("Accept", "text/plain").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /metrics: " + response.statusCode() + " " + response.body());
            }
            return new Metrics(response.body());
        } catch (Exception e) {
            throw new AssertionError("GET /metrics", e);
        }
    }

    /**
     * The sample named {@code name} whose labels contain {@code label} (such as {@code code="4499"}, or "" for
     * any); 0 when there is none, as Prometheus reads a series that has not started.
     */
    public double value(String name, String label) {
        double found = 0;
        int matches = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            int brace = key.indexOf('{');
            String sampleName = brace < 0 ? key : key.substring(0, brace);
            if (sampleName.equals(name) && key.contains(label)) {
                found = sample.getValue();
                matches++;
            }
        }
        if (matches > 1) {
            throw new AssertionError(matches + " samples of " + name + " with " + label + " in:\n" + rowcast());
        }
        return found;
    }

    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
    }

    /** Rowcast's lines of the scrape, for assertion messages. */
    public String rowcast() {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.contains("rowcast_")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
