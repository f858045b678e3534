package dev.rowcast.impl.socket;

/**
 * Objects shaped like Tyrus 2's session and servlet upgrade, Payara 6's WebConnectionImpl and Catalina request, and
 * Grizzly 4's request, request packet and connection: the path {@link UpgradedRequest} follows, for the tests of the
 * workarounds that reach the handshake's request ({@link LateInputGuard}, {@link UpgradeRequestRelease}).
 * <p>
 * They imitate the container's field and method names, which the workarounds look up by reflection
 * ({@link ContainerReflection}): names and field types must stay the container's. Each class carries what either
 * workaround follows; a field the tests read or change is package-private, which reflection does not mind. Fakes of
 * another shape on purpose (another path, a missing field) stay in their own test.
 */
final class ContainerFakes {

    private ContainerFakes() {
    }

    // --- shaped like Grizzly 4 ---
    static class Attributes {
        final java.util.Map<String, Object> values = new java.util.concurrent.ConcurrentHashMap<>();

        public Object removeAttribute(String name) {
            return values.remove(name);
        }
    }

    static class Connection {
        volatile boolean open = true;
        final Attributes attributes = new Attributes();

        public boolean isOpen() {
            return open;
        }

        public Attributes getAttributes() {
            return attributes;
        }
    }

    static class MimeHeaderField {
    }

    static class MimeHeaders {
        MimeHeaderField[] headers = {new MimeHeaderField(), new MimeHeaderField(), null};
        int count = 2;

        public void clear() {
            count = 0;
        }
    }

    static class Packet {
        Connection connection = new Connection();
        boolean isContentBroken;
        /** The read buffer the headers were parsed from: up to 64 KiB. */
        byte[] headerBuffer = new byte[65_536];
        int resets;
        final MimeHeaders headers = new MimeHeaders();

        Packet() {
            connection.attributes.values.put(LateInputGuard.CODEC_REQUEST, this); // the codec's request in progress
        }

        public Connection getConnection() {
            return connection;
        }

        public void setContentBroken(boolean broken) {
            isContentBroken = broken;
        }

        protected void reset() {
            resets++;
            connection = null;
            headerBuffer = null;
        }

        public MimeHeaders getHeaders() {
            return headers;
        }
    }

    static class GrizzlyResponse {
        final Packet packet = new Packet();

        public Packet getResponse() {
            return packet;
        }
    }

    static class CharChunk {
        char[] buff = new char[1024];

        public void reset() {
            buff = null;
        }
    }

    static class Parameters {
        final CharChunk tmpNameC = new CharChunk();
        final CharChunk tmpValueC = new CharChunk();
    }

    static class GrizzlyRequest {
        protected final Parameters parameters = new Parameters();
        protected Packet request = new Packet();
        protected GrizzlyResponse response = new GrizzlyResponse();

        public Packet getRequest() {
            return request;
        }

        public GrizzlyResponse getResponse() {
            return response;
        }
    }

    // --- shaped like Payara 6 ---
    static class CatalinaRequest {
        protected GrizzlyRequest coyoteRequest = new GrizzlyRequest();
        boolean upgrade = true;
        boolean afterService;
    }

    static class WebConnectionImpl {
        CatalinaRequest request = new CatalinaRequest();
    }

    // --- shaped like Tyrus 2 ---
    static class UpgradeHandler {
        WebConnectionImpl wc = new WebConnectionImpl();
        Object upgradeInfo = new Object();
    }

    static class UpgradeHandlerProxy extends UpgradeHandler {
        private UpgradeHandler handler = new UpgradeHandler();
    }

    static class ServletWriter {
        private final UpgradeHandlerProxy tyrusHttpUpgradeHandler = new UpgradeHandlerProxy();
    }

    static class ProtocolHandler {
        private volatile Object writer = new ServletWriter();
    }

    static class WebSocket {
        private final ProtocolHandler protocolHandler = new ProtocolHandler();
    }

    static class Remote {
        final WebSocket webSocket = new WebSocket();
    }

    static class TyrusLikeSession {
        private final Remote basicRemote = new Remote();

        /** The handler behind the writer's proxy. */
        UpgradeHandler handler() {
            return ((ServletWriter) basicRemote.webSocket.protocolHandler.writer).tyrusHttpUpgradeHandler.handler;
        }

        CatalinaRequest request() {
            return handler().wc.request;
        }

        GrizzlyRequest grizzly() {
            return request().coyoteRequest;
        }

        Packet packet() {
            return grizzly().request;
        }
    }

    /** Another container's session. */
    static class OtherSession {
    }
}
