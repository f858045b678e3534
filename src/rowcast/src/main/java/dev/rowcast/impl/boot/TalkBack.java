package dev.rowcast.impl.boot;

import java.lang.reflect.InvocationTargetException;
import java.security.Principal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import dev.rowcast.BroadcastEvent;
import dev.rowcast.Group;
import dev.rowcast.RowcastConfigurationException;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.dispatch.ChangeDispatcher;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.model.ScopeModel;
import dev.rowcast.impl.proposal.ProposalHandler;
import dev.rowcast.impl.proposal.Proposals;
import dev.rowcast.impl.talk.Peers;
import dev.rowcast.impl.talk.Talk;
import dev.rowcast.impl.talk.redis.RedisPeers;

/**
 * Wires what lets clients talk back: presence and broadcasts ({@link Talk}), proposals ({@link Proposals}) and the
 * group channels. Kept apart from {@link RowcastWebListener} so the engine's wiring stays as it was.
 */
final class TalkBack {

    private static final Logger LOG = Logger.getLogger(TalkBack.class.getName());
    /** A group's one scope: each value is one group. */
    static final String GROUP_SCOPE = "name";

    final Talk talk;
    final Proposals proposals;
    private final Map<String, ReactiveEntityModel> groupChannels;
    private final ScheduledExecutorService talkThread;
    private final Peers peers;
    private final ExecutorService proposalThreads;
    private final Jsonb jsonb;

    /**
     * Builds it and tells the dispatcher; call before the dispatcher starts, and after cluster mode connected (it
     * checked that Redis and its client are there).
     */
    TalkBack(RowcastSettings settings, RowcastBeans beans, ManagedThreadFactory threads, ChangeDispatcher dispatcher) {
        Map<String, Integer> limits = new HashMap<>();
        groupChannels = groups(beans.groups(), limits);
        talkThread = Executors.newSingleThreadScheduledExecutor(runnable -> named(threads, runnable, "rowcast-talk"));
        int defaultLimit = settings.talk().presenceMaxMembers();
        peers = settings.cluster().enabled() ? connectPeers(settings) : null;
        BeanManager manager = beans.beanManager();
        talk = new Talk(talkThread, settings.talk(), beans.presenceProfiles(), beans.broadcastPolicies(),
                channel -> limits.getOrDefault(channel, defaultLimit), peers,
                event -> manager.getEvent().select(BroadcastEvent.class).fire(event));
        dispatcher.streamMembers(talk);
        talk.start();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.talk().proposalThreads(),
                settings.talk().proposalThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.talk().proposalMaxQueued()),
                runnable -> named(threads, runnable, "rowcast-proposal"));
        pool.allowCoreThreadTimeOut(true);
        proposalThreads = pool;
        jsonb = JsonbBuilder.create();
        proposals = new Proposals(handlers(beans), beans.proposalAuthorizers(), proposalThreads, beans.transaction(),
                beans.validator(), jsonb, dispatcher::afterCommitted);
    }

    private static Peers connectPeers(RowcastSettings settings) {
        try {
            return RedisPeers.connect(settings.cluster().redis(), settings.cluster().keyPrefix(),
                    settings.talk().presenceTtlMillis());
        } catch (RuntimeException e) {
            throw new RowcastConfigurationException(RowcastSettings.CLUSTER_REDIS + " is set, and presence cannot use "
                    + "Redis at " + settings.cluster().redis() + ": " + e + ". Fix: start Redis, or correct the "
                    + "setting.");
        }
    }

    private static Thread named(ManagedThreadFactory threads, Runnable runnable, String name) {
        Thread thread = threads.newThread(runnable);
        thread.setName(name);
        thread.setDaemon(true);
        return thread;
    }

    Optional<ReactiveEntityModel> group(String channel) {
        return Optional.ofNullable(groupChannels.get(channel));
    }

    /** Roles the groups and proposal handlers name: recorded at each handshake. */
    Set<String> roles() {
        Set<String> roles = new HashSet<>(proposals.roles());
        groupChannels.values().forEach(model -> roles.addAll(model.rolesAllowed()));
        return roles;
    }

    void stop() {
        talkThread.shutdownNow();
        if (peers != null) {
            peers.close();
        }
        proposalThreads.shutdownNow();
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Rowcast: closing JSON-B failed", e);
        }
    }

    /** A group is a channel with no entity and one string scope, {@code name}; it never has changes. */
    private static Map<String, ReactiveEntityModel> groups(List<Group> groups, Map<String, Integer> limits) {
        Map<String, ReactiveEntityModel> models = new HashMap<>();
        for (Group group : groups) {
            String channel = group.channel();
            if (ReactiveChannels.find(channel).isPresent() || models.containsKey(channel)) {
                throw new RowcastConfigurationException("Group channel '" + channel + "' is already a channel. Fix: "
                        + "give the group another name.");
            }
            models.put(channel, new ReactiveEntityModel("group " + channel, Group.class, channel, channel,
                    GROUP_SCOPE, GROUP_SCOPE, List.of(), List.of(new ScopeModel(GROUP_SCOPE, GROUP_SCOPE,
                            String.class)), null, group.rolesAllowed(), Map.of(), 0));
            if (group.maxMembers() > 0) {
                limits.put(channel, group.maxMembers());
            }
        }
        return models;
    }

    private static Map<String, ProposalHandler> handlers(RowcastBeans beans) {
        BeanManager manager = beans.beanManager();
        Map<String, ProposalHandler> handlers = new HashMap<>();
        for (RowcastExtension.ProposalMethod found : beans.proposalMethods()) {
            java.lang.reflect.Method method = found.method();
            boolean principal = method.getParameterCount() == 2 && method.getParameterTypes()[1] == Principal.class;
            boolean viewer = method.getParameterCount() == 2 && !principal;
            Bean<?> bean = found.bean();
            ProposalHandler.Invoker invoker = (payload, caller) -> {
                RequestContextController request = manager.createInstance().select(RequestContextController.class)
                        .get();
                request.activate(); // the handler may use @RequestScoped beans, as in a request
                CreationalContext<?> context = manager.createCreationalContext(bean);
                try {
                    Object target = manager.getReference(bean, method.getDeclaringClass(), context);
                    Object[] arguments = method.getParameterCount() == 1 ? new Object[] { payload }
                            : new Object[] { payload, viewer ? caller : (Principal) caller.principal() };
                    return method.invoke(target, arguments);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                } finally {
                    context.release();
                    request.deactivate();
                }
            };
            handlers.put(found.annotation().value(), new ProposalHandler(found.annotation().value(),
                    List.of(found.annotation().rolesAllowed()), method.getGenericParameterTypes()[0], invoker));
        }
        return handlers;
    }
}
