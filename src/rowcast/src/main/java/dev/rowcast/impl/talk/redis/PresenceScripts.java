package dev.rowcast.impl.talk.redis;

/**
 * Presence in Redis: one hash per stream, one field per instance and user ({@code instance|user}), valued
 * {@code expires|since|entry} in Redis's milliseconds (instances' clocks may differ). Each script first drops the
 * expired fields, and finally publishes {@code left} for users that have no live field any more, so an instance that
 * died without a word loses its members at the next script run on the stream after their expiry. Each returns the
 * members, oldest first: user, entry, user, entry, ... after a leading 1 (0 alone: full).
 * <p>
 * KEYS: the hash. ARGV[1..4]: instance, stream name, pub/sub channel, ttl (ms); then the script's own.
 */
final class PresenceScripts {

    private static final String READ = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local ttl = tonumber(ARGV[4])
            local live, since, gone = {}, {}, {}
            local function parse(value)
              local a = string.find(value, '|', 1, true)
              local b = string.find(value, '|', a + 1, true)
              return tonumber(string.sub(value, 1, a - 1)), tonumber(string.sub(value, a + 1, b - 1)),
                string.sub(value, b + 1)
            end
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              local user = string.sub(all[i], string.find(all[i], '|', 1, true) + 1)
              local expires, from, entry = parse(all[i + 1])
              if expires <= now then
                redis.call('HDEL', KEYS[1], all[i])
                gone[user] = true
              elseif live[user] == nil or from < since[user] then
                live[user] = entry
                since[user] = from
              end
            end
            local function put(user, entry)
              local field = ARGV[1] .. '|' .. user
              local old = redis.call('HGET', KEYS[1], field)
              local from = now
              if old then
                local _, f = parse(old)
                from = f
              end
              redis.call('HSET', KEYS[1], field, (now + ttl) .. '|' .. from .. '|' .. entry)
              redis.call('PEXPIRE', KEYS[1], ttl * 2)
              if live[user] == nil then
                live[user] = entry
                since[user] = from
                redis.call('PUBLISH', ARGV[3], cjson.encode({k = 'j', o = ARGV[1], s = ARGV[2], u = user, e = entry}))
              end
            end
            local function answer()
              for user in pairs(gone) do
                if live[user] == nil then
                  redis.call('PUBLISH', ARGV[3], cjson.encode({k = 'l', o = ARGV[1], s = ARGV[2], u = user}))
                end
              end
              local users = {}
              for user in pairs(live) do users[#users + 1] = user end
              table.sort(users, function(a, b)
                if since[a] == since[b] then return a < b end
                return since[a] < since[b]
              end)
              local out = {1}
              for _, user in ipairs(users) do
                out[#out + 1] = user
                out[#out + 1] = live[user]
              end
              return out
            end
            """;

    /** ARGV[5..7]: user, entry, limit. */
    static final String JOIN = READ + """
            if live[ARGV[5]] == nil then
              local count = 0
              for _ in pairs(live) do count = count + 1 end
              if count >= tonumber(ARGV[7]) then
                answer()
                return {0}
              end
            end
            put(ARGV[5], ARGV[6])
            return answer()
            """;

    /** ARGV[5]: user. */
    static final String LEAVE = READ + """
            local field = ARGV[1] .. '|' .. ARGV[5]
            if redis.call('HDEL', KEYS[1], field) == 1 then
              live[ARGV[5]] = nil
              since[ARGV[5]] = nil
              for i = 1, #all, 2 do
                local user = string.sub(all[i], string.find(all[i], '|', 1, true) + 1)
                local expires, from, entry = parse(all[i + 1])
                if user == ARGV[5] and all[i] ~= field and expires > now and (live[user] == nil or from < since[user]) then
                  live[user] = entry
                  since[user] = from
                end
              end
              gone[ARGV[5]] = true
            end
            return answer()
            """;

    /** ARGV[5..]: user, entry, user, entry, ... of this instance. */
    static final String REFRESH = READ + """
            for i = 5, #ARGV, 2 do
              put(ARGV[i], ARGV[i + 1])
            end
            return answer()
            """;

    private PresenceScripts() {
    }
}
