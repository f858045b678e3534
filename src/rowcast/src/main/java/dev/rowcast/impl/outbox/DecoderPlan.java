package dev.rowcast.impl.outbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.rowcast.impl.bridge.ConnectionSource;
import dev.rowcast.impl.model.ReactiveEntityModel;
import dev.rowcast.spi.NotificationDecoder;

/**
 * Checks the application's notification decoders against the channels captured from the database, at deployment:
 * each names a channel to listen on and tables that captured channels map, and no table has two decoders.
 */
record DecoderPlan(NotificationDecoder decoder, ConnectionSource database, Map<String, DecodedTable> tables) {

    static List<DecoderPlan> plan(List<NotificationDecoder> decoders,
            Map<ConnectionSource, List<ReactiveEntityModel>> byDatabase, List<String> problems) {
        List<DecoderPlan> plans = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        for (NotificationDecoder decoder : decoders) {
            String name = name(decoder);
            String channel;
            Set<String> names;
            try {
                channel = decoder.channel();
                names = decoder.tables();
            } catch (RuntimeException e) {
                problems.add("NotificationDecoder " + name + " threw from channel() or tables(): " + e + ". Fix: "
                        + "return the NOTIFY channel and the tables it reports.");
                continue;
            }
            if (channel == null || channel.isBlank() || channel.equalsIgnoreCase(OutboxSql.CHANNEL)) {
                problems.add("NotificationDecoder " + name + " listens on channel '" + channel + "'. Fix: return "
                        + "the NOTIFY channel your triggers send on (not Rowcast's own " + OutboxSql.CHANNEL + ").");
                continue;
            }
            if (names == null || names.isEmpty()) {
                problems.add("NotificationDecoder " + name + " names no tables. Fix: return the tables its payloads "
                        + "report from tables().");
                continue;
            }
            ConnectionSource database = null;
            Map<String, DecodedTable> tables = new LinkedHashMap<>();
            for (String table : names) {
                String key = table == null ? "" : OutboxSql.unquoted(table).toLowerCase(Locale.ROOT);
                List<ReactiveEntityModel> models = new ArrayList<>();
                ConnectionSource found = null;
                for (Map.Entry<ConnectionSource, List<ReactiveEntityModel>> entry : byDatabase.entrySet()) {
                    for (ReactiveEntityModel model : entry.getValue()) {
                        if (model.table().toLowerCase(Locale.ROOT).equals(key)) {
                            models.add(model);
                            found = entry.getKey();
                        }
                    }
                }
                if (models.isEmpty()) {
                    problems.add("NotificationDecoder " + name + " reports table '" + table + "', which no channel "
                            + "captured from the database maps. Fix: capture its channel from the database ("
                            + "rowcast.capture.database or @Reactive(capture = DATABASE)), or leave the table out "
                            + "of tables().");
                } else if (!claimed.add(key)) {
                    problems.add("Table '" + table + "' is reported by two notification decoders. Fix: let one "
                            + "decoder report it.");
                } else if (database != null && database != found) {
                    problems.add("NotificationDecoder " + name + " reports tables of two persistence units. Fix: "
                            + "one decoder per database.");
                } else {
                    database = found;
                    tables.put(key, new DecodedTable(models));
                }
            }
            if (database != null) {
                plans.add(new DecoderPlan(decoder, database, tables));
            }
        }
        return plans;
    }

    /** The decoder's own class, not its CDI proxy's. */
    static String name(NotificationDecoder decoder) {
        Class<?> type = decoder.getClass();
        while (type.getSuperclass() != null && type.getName().contains("$Proxy")) {
            type = type.getSuperclass();
        }
        return type.getName();
    }

    /** The tables decoders report: Rowcast puts no trigger of its own on them. */
    static Set<String> decodedSqlTables(List<DecoderPlan> plans) {
        Set<String> tables = new HashSet<>();
        plans.forEach(plan -> plan.tables().values().forEach(table -> tables.add(table.sqlTable)));
        return tables;
    }
}
