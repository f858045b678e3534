package dev.rowcast.impl.admin;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.rowcast.impl.config.RowcastSettings;

/**
 * Serves the admin page from the library jar: the page, its script and style, and the current settings. The boot
 * package maps it at {@code rowcast.admin.path} behind a security constraint for {@code rowcast.admin.role}; the live
 * figures come over the socket ({@link AdminChannel}), not from here.
 */
public final class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String RESOURCES = "/dev/rowcast/impl/admin/";
    private static final Map<String, String> FILES = Map.of(
            "/", "admin.html", "/admin.js", "admin.js", "/admin.css", "admin.css");
    private static final Map<String, String> TYPES = Map.of(
            "admin.html", "text/html;charset=UTF-8", "admin.js", "text/javascript;charset=UTF-8",
            "admin.css", "text/css;charset=UTF-8");

    private final transient RowcastSettings settings;

    public AdminServlet(RowcastSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) { // the page's relative links need the slash
            response.sendRedirect(request.getContextPath() + settings.admin().path() + "/");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (path.equals("/settings.json")) {
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write(settingsJson(request.getContextPath()));
            return;
        }
        String file = FILES.get(path);
        if (file == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = AdminServlet.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType(TYPES.get(file));
            response.setHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:");
            response.getOutputStream().write(in.readAllBytes());
        }
    }

    /** The endpoint the page connects to, the channel it follows, and every setting, for display. */
    String settingsJson(String contextPath) {
        return Json.createObjectBuilder()
                .add("endpoint", contextPath + settings.endpointPath())
                .add("channel", AdminChannel.CHANNEL)
                .add("row", AdminChannel.ROW_ID)
                .add("settings", components(settings))
                .build().toString();
    }

    private static JsonObjectBuilder components(Record record) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (value instanceof Record nested) {
                out.add(component.getName(), components(nested));
            } else if (value == null) {
                out.addNull(component.getName());
            } else if (value instanceof Integer number) {
                out.add(component.getName(), number);
            } else {
                out.add(component.getName(), String.valueOf(value));
            }
        }
        return out;
    }

}
