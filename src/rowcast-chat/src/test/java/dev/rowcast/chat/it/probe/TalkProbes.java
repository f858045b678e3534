package dev.rowcast.chat.it.probe;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import dev.rowcast.BroadcastEvent;
import dev.rowcast.Group;
import dev.rowcast.Proposal;
import dev.rowcast.chat.domain.Conversation;
import dev.rowcast.chat.domain.Message;
import dev.rowcast.spi.BroadcastPolicy;
import dev.rowcast.spi.PresenceProfile;
import dev.rowcast.spi.ProposalAuthorizer;
import dev.rowcast.spi.ProposalRequest;
import dev.rowcast.spi.StreamId;
import dev.rowcast.spi.Viewer;

/**
 * Probes for {@code TalkIT}: a group channel of two seats, a handler that writes and then throws, an admin-only
 * proposal, an authorizer that refuses eve every proposal, a presence profile, and a policy that drops
 * {@code shout} broadcasts and cuts {@code note}s to 5 characters, and a CDI observer of broadcasts that vetoes
 * {@code mute}, wraps {@code stamp}'s data with the sender's initial, and throws on {@code boom}.
 */
@ApplicationScoped
public class TalkProbes implements ProposalAuthorizer, PresenceProfile, BroadcastPolicy {

    @PersistenceContext(unitName = "chat")
    EntityManager em;

    @Produces
    static final Group TABLE = Group.named("table").maxMembers(2).rolesAllowed("user", "admin");

    /** Writes a message, then fails: nothing of it may reach anyone. */
    @Proposal("probe.fail")
    public Object fail(JsonValue conversationId, Viewer caller) {
        Conversation conversation = em.find(Conversation.class, Long.valueOf(conversationId.toString()));
        em.persist(new Message(conversation, caller.principal().getName(), "written, then rolled back", false));
        em.flush();
        throw new IllegalStateException("a secret internal detail");
    }

    @Proposal(value = "probe.admin", rolesAllowed = "admin")
    public String adminOnly(JsonValue payload) {
        return "done";
    }

    @Override
    public boolean authorize(ProposalRequest request) {
        return !"eve".equals(request.proposer().principal().getName());
    }

    @Override
    public Map<String, Object> fields(Viewer viewer, StreamId stream) {
        return Map.of("initial", viewer.principal().getName().substring(0, 1).toUpperCase());
    }

    void observe(@Observes BroadcastEvent broadcast) {
        switch (broadcast.event()) {
            case "mute" -> broadcast.veto();
            case "stamp" -> broadcast.data(jakarta.json.Json.createObjectBuilder().add("was", broadcast.data())
                    .add("by", broadcast.sender().principal().getName().substring(0, 1)).build());
            case "boom" -> throw new IllegalStateException("an observer's bug");
            default -> {
            }
        }
    }

    @Override
    public JsonValue shape(dev.rowcast.spi.Broadcast broadcast) {
        if (broadcast.event().equals("shout")) {
            return null;
        }
        if (broadcast.event().equals("note") && broadcast.data() instanceof jakarta.json.JsonString text
                && text.getString().length() > 5) {
            return jakarta.json.Json.createValue(text.getString().substring(0, 5));
        }
        return broadcast.data();
    }
}
