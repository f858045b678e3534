package dev.rowcast.impl.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rowcast.Capture;
import dev.rowcast.ChangeType;
import dev.rowcast.EntityChange;
import dev.rowcast.RowcastConfigurationException;
import dev.rowcast.impl.bridge.CaptureBridge;
import dev.rowcast.impl.bridge.CapturedChange;
import dev.rowcast.impl.bridge.ChangeSink;
import dev.rowcast.impl.bridge.ChangeSize;
import dev.rowcast.impl.bridge.LostChanges;
import dev.rowcast.impl.bridge.ReactiveChannels;
import dev.rowcast.impl.config.RowcastSettings;
import dev.rowcast.impl.model.ColumnModel;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.impl.outbox.DatabaseCapture;
import dev.rowcast.spi.StreamId;

/**
 * The integrator and listener on a real Hibernate over in-memory H2, with RESOURCE_LOCAL transactions. JTA and the
 * container are covered by the Arquillian suite.
 */
class HibernateCaptureTest {

    private final List<EntityChange> captured = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> tickets = Collections.synchronizedList(new ArrayList<>());
    private final List<LostChanges> lost = Collections.synchronizedList(new ArrayList<>());
    /** The byte estimate each hand-off carried; negative if it was not the estimate of its changes. */
    private final List<Long> handedBytes = Collections.synchronizedList(new ArrayList<>());
    private volatile long maxTransactionBytes = 1 << 20;
    private final ChangeSink sink = new ChangeSink() {
        @Override
        public void complete(long ticket, List<CapturedChange> changes, LostChanges overflow) {
            tickets.add(ticket);
            changes.forEach(c -> captured.add(c.change()));
            if (overflow != null) {
                lost.add(overflow);
            }
        }

        @Override
        public void complete(long ticket, List<CapturedChange> changes, long bytes, LostChanges overflow) {
            handedBytes.add(bytes == ChangeSize.of(changes) ? bytes : -bytes);
            complete(ticket, changes, overflow);
        }

        @Override
        public long maxTransactionBytes() {
            return maxTransactionBytes;
        }
    };
    private SessionFactory factory;

    @BeforeEach
    void boot() {
        factory = build(Room.class, Post.class);
        CaptureBridge.install(sink);
        inTransaction(session -> {
            session.persist(new Room(1, "one"));
            session.persist(new Room(2, "two"));
        });
        captured.clear();
        tickets.clear();
        handedBytes.clear();
    }

    @AfterEach
    void close() {
        CaptureBridge.uninstall(sink);
        factory.close();
    }

    @Test
    void should_register_the_channel_with_column_named_scopes() {
        ReactiveEntityModel model = ReactiveChannels.find("posts").orElseThrow();
        assertEquals("post", model.table());
        assertEquals("room_id, id", model.scopeColumns());
        assertEquals(Long.class, model.scopeByColumn("room_id").orElseThrow().valueType());
    }

    @Test
    void should_capture_a_committed_insert_with_basic_columns_and_foreign_keys_only() {
        long id = insert(1, "hello");
        assertEquals(1, captured.size());
        EntityChange change = captured.get(0);
        assertEquals(ChangeType.INSERT, change.type());
        assertEquals("posts", change.channel());
        assertEquals("id", change.idColumn());
        assertEquals(id, change.id());
        assertEquals(List.of("id", "pinned", "room_id", "text_body"), List.copyOf(change.row().keySet()));
        assertEquals(1L, change.row().get("room_id"));
        assertEquals("hello", change.row().get("text_body"));
        assertTrue(change.previous().isEmpty());
    }

    @Test
    void should_keep_only_the_streams_of_a_transaction_past_its_capture_bound() {
        maxTransactionBytes = 2_000;
        inTransaction(session -> {
            for (int i = 0; i < 20; i++) {
                session.persist(new Post(session.getReference(Room.class, 2L), "bulk " + i));
            }
        });
        assertTrue(captured.isEmpty(), "no partial transaction is delivered: " + captured.size());
        assertEquals(1, tickets.size(), "its ticket still completes");
        assertEquals(1, lost.size());
        assertEquals(20, lost.get(0).changes());
        assertTrue(lost.get(0).streams().contains(new StreamId("posts", "room_id", 2L)), lost.get(0).streams().toString());
        assertEquals(21, lost.get(0).streams().size(), "the room's stream and each post's id stream");

        maxTransactionBytes = 1 << 20;
        insert(2, "small again");
        assertEquals(1, captured.size());
        assertEquals(1, lost.size());
    }

    @Test
    void should_capture_nothing_for_a_flushed_then_rolled_back_transaction() {
        try (Session session = factory.openSession()) {
            session.beginTransaction();
            session.persist(new Post(session.getReference(Room.class, 1L), "doomed"));
            session.flush();
            session.getTransaction().rollback();
        }
        assertTrue(captured.isEmpty(), "captured " + captured);
        assertEquals(List.of(0L), tickets, "a rollback completes without a ticket and without changes");
    }

    @Test
    void should_give_each_committing_transaction_a_later_ticket() {
        insert(1, "first");
        insert(2, "second");
        assertEquals(2, tickets.size());
        assertTrue(tickets.get(0) > 0 && tickets.get(1) == tickets.get(0) + 1, "tickets " + tickets);
    }

    @Test
    void should_hand_over_every_change_of_a_transaction_together_in_flush_order() {
        inTransaction(session -> {
            Post post = new Post(session.getReference(Room.class, 1L), "one");
            session.persist(post);
            session.flush();
            post.text = "two";
            session.flush();
            session.remove(post);
        });
        assertEquals(1, tickets.size(), "one hand-off for the transaction, not one per row");
        assertEquals(List.of(ChangeType.INSERT, ChangeType.UPDATE, ChangeType.DELETE),
                captured.stream().map(EntityChange::type).toList());
        assertEquals(1, handedBytes.size());
        assertTrue(handedBytes.get(0) > 0, "the hand-off carries its changes' byte estimate: " + handedBytes);
    }

    @Test
    void should_list_only_the_changed_columns_with_their_previous_values() {
        long id = insert(1, "before");
        captured.clear();
        inTransaction(session -> session.find(Post.class, id).text = "after");
        assertEquals(1, captured.size());
        EntityChange change = captured.get(0);
        assertEquals(ChangeType.UPDATE, change.type());
        assertEquals(Map.of("text_body", "before"), change.previous());
        assertEquals("after", change.row().get("text_body"));
    }

    @Test
    void should_capture_nothing_for_an_update_that_changes_no_row_column() {
        long id = insert(1, "same");
        captured.clear();
        inTransaction(session -> session.find(Post.class, id).text = "same");
        inTransaction(session -> session.find(Post.class, id).tags.add("collections are not in the row"));
        assertTrue(captured.isEmpty(), "captured " + captured);
    }

    @Test
    void should_read_a_lazy_foreign_key_without_loading_the_association() {
        long id = insert(1, "lazy");
        captured.clear();
        Post[] kept = new Post[1];
        inTransaction(session -> {
            Post post = session.find(Post.class, id);
            post.room = session.getReference(Room.class, 2L);
            post.pinned = true;
            kept[0] = post;
        });
        // after flush, capture and commit: capturing read the foreign key, it did not load the room
        assertFalse(Hibernate.isInitialized(kept[0].room), "the capture loaded the lazy association");
        EntityChange change = captured.get(0);
        assertEquals(2L, change.row().get("room_id"));
        assertEquals(1L, change.previous().get("room_id"));
        assertEquals(false, change.previous().get("pinned"));
    }

    @Test
    void should_capture_a_delete_with_the_last_state() {
        long id = insert(2, "last words");
        captured.clear();
        inTransaction(session -> session.remove(session.find(Post.class, id)));
        EntityChange change = captured.get(0);
        assertEquals(ChangeType.DELETE, change.type());
        assertEquals(2L, change.row().get("room_id"));
        assertEquals("last words", change.row().get("text_body"));
    }

    @Test
    void should_fail_the_persistence_unit_listing_every_misconfigured_entity_with_its_fix() {
        Exception e = assertThrows(Exception.class, () -> build(Room.class, BadScopes.ColumnInsteadOfAttribute.class,
                BadScopes.Unknown.class, BadScopes.OnCollection.class, BadScopes.OnInverseSide.class,
                BadScopes.OnEmbeddable.class, BadScopes.OnInstant.class, BadScopes.NoScopes.class));
        RowcastConfigurationException config = cause(e);
        String message = config.getMessage();
        assertTrue(message.contains("7 configuration problem(s)"), message);
        assertTrue(message.contains(BadScopes.ColumnInsteadOfAttribute.class.getName() + " names scope 'room_id', "
                + "but it has no such attribute. Known attributes: id, room. Fix: 'room_id' is the column of "
                + "attribute 'room'; write @Reactive(scopes = \"room\")."), message);
        assertTrue(message.contains(BadScopes.Unknown.class.getName() + " names scope 'nope', but it has no such "
                + "attribute. Known attributes: id. Fix: use one of them"), message);
        assertTrue(message.contains(BadScopes.OnCollection.class.getName() + " names scope 'labels', but that "
                + "attribute is a collection"), message);
        assertTrue(message.contains(BadScopes.OnInverseSide.class.getName() + " names scope 'children', but that "
                + "attribute is a collection"), message);
        assertTrue(message.contains(BadScopes.OnEmbeddable.class.getName() + " names scope 'address', but that "
                + "attribute is an embeddable"), message);
        assertTrue(message.contains(BadScopes.OnInstant.class.getName() + " names scope 'at' of type "
                + "java.time.Instant, which cannot be a scope"), message);
        assertTrue(message.contains(BadScopes.NoScopes.class.getName() + " declares no scopes. Fix: name the "
                + "attributes clients may filter on"), message);
    }

    private static RowcastConfigurationException cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RowcastConfigurationException config) {
                return config;
            }
        }
        throw new AssertionError("no RowcastConfigurationException in the chain", e);
    }

    @Test
    void should_leave_a_channel_captured_from_the_database_to_its_trigger_and_model_its_column_types() {
        ReactiveEntityModel model = ReactiveChannels.find("posts").orElseThrow();
        assertEquals(Capture.DEFAULT, model.capture());
        assertEquals("post", model.sqlTable());
        assertEquals(Long.class, model.idType());
        assertEquals(Map.of("room", Long.class, "text", String.class, "pinned", Boolean.class), model.columns().stream()
                .collect(java.util.stream.Collectors.toMap(ColumnModel::attribute, ColumnModel::javaType)));

        ReactiveChannels.captureFromDatabase(List.of("posts"));
        try {
            insert(1, "through the trigger only");
            assertTrue(captured.isEmpty(), "the trigger delivers it; Hibernate's listener must not as well");
        } finally {
            ReactiveChannels.stopCapturingFromDatabase(List.of("posts"));
        }
        insert(1, "through jpa");
        assertEquals(1, captured.size());
    }

    @Test
    void should_model_a_converted_attribute_with_its_stored_type_and_converter() {
        try (SessionFactory flagged = build(Flagged.class)) {
            ColumnModel flag = ReactiveChannels.find("flagged").orElseThrow().columns().get(0);
            assertEquals(Boolean.class, flag.javaType());
            assertEquals(Character.class, flag.storedType());
            assertEquals(true, flag.fromStored().apply('Y'));
        }
    }

    @Test
    void should_fail_database_capture_on_another_database_than_postgresql_and_for_an_unknown_channel() {
        RowcastSettings settings = RowcastSettings.read(Map.of(RowcastSettings.CAPTURE_DATABASE, "posts, nope")::get);
        RowcastConfigurationException e = assertThrows(RowcastConfigurationException.class,
                () -> DatabaseCapture.start(settings, ReactiveChannels.all(), Thread::new));
        assertTrue(e.getMessage().contains("names channel 'nope', which no @Reactive entity has"), e.getMessage());
        assertTrue(e.getMessage().contains("Channel 'posts' is captured from the database, which needs PostgreSQL"),
                e.getMessage());
        assertFalse(ReactiveChannels.capturedFromDatabase("posts"), "nothing is left half started");
    }

    private long insert(long room, String text) {
        Post post = new Post(null, text);
        inTransaction(session -> {
            post.room = session.getReference(Room.class, room);
            session.persist(post);
        });
        return post.id;
    }

    private void inTransaction(Consumer<Session> work) {
        try (Session session = factory.openSession()) {
            session.beginTransaction();
            work.accept(session);
            session.getTransaction().commit();
        }
    }

    private static SessionFactory build(Class<?>... entities) {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting("hibernate.connection.url", "jdbc:h2:mem:capture;DB_CLOSE_DELAY=-1")
                .applySetting("hibernate.hbm2ddl.auto", "create-drop")
                .build();
        try {
            MetadataSources sources = new MetadataSources(registry);
            for (Class<?> entity : entities) {
                sources.addAnnotatedClass(entity);
            }
            return sources.buildMetadata().buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }

}
