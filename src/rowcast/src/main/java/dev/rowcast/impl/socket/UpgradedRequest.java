package dev.rowcast.impl.socket;

import static dev.rowcast.impl.socket.ContainerReflection.field;
import static dev.rowcast.impl.socket.ContainerReflection.read;

/**
 * The container's objects behind one socket's handshake, found by field name along Tyrus's and Payara's references:
 * Tyrus 2: session.basicRemote.webSocket.protocolHandler.writer (TyrusServletWriter) .tyrusHttpUpgradeHandler (a
 * proxy) .handler; Payara 6: handler.wc (WebConnectionImpl) .request (Catalina) .coyoteRequest (Grizzly). Shared by
 * the workarounds that reach the handshake's request.
 */
record UpgradedRequest(Object handler, Object servletRequest, Object grizzlyRequest) {

    /** @return null when a link is missing */
    static UpgradedRequest of(Object session) throws ReflectiveOperationException {
        Object remote = read(session, "basicRemote");
        Object webSocket = read(remote, "webSocket");
        Object protocol = read(webSocket, "protocolHandler");
        Object writer = read(protocol, "writer");
        Object proxy = read(writer, "tyrusHttpUpgradeHandler");
        Object handler = proxy == null ? null : field(proxy.getClass(), "handler") != null
                ? read(proxy, "handler") : proxy;
        Object servletRequest = read(read(handler, "wc"), "request");
        Object grizzlyRequest = read(servletRequest, "coyoteRequest");
        return grizzlyRequest == null ? null : new UpgradedRequest(handler, servletRequest, grizzlyRequest);
    }
}
