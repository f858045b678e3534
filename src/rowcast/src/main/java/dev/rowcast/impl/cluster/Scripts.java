package dev.rowcast.impl.cluster;

import java.util.List;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/** The Lua scripts: each runs atomically in Redis, so several instances never interleave inside one. */
final class Scripts {

    /**
     * Relays one outbox row, only if it is past the relay cursor: per stream INCR seq (a new epoch when the stream
     * has none), XADD to its history (id = seq, trimmed by length and age), then XADD to the log, set the cursor.
     * KEYS: cursor, log, logseq, then (seq, epoch, history) per stream. ARGV: outbox id, txid, table, op, old, new,
     * history length, oldest time kept (ms), epoch base, key ttl (ms), log length, now (ms), 1 for a transaction's
     * last row (else 0), then the types.
     */
    static final String RELAY = """
            local cur = redis.call('GET', KEYS[1])
            if cur and tonumber(ARGV[1]) <= tonumber(cur) then return -1 end
            local n = redis.call('INCR', KEYS[3])
            local positions = {}
            local count = (#KEYS - 3) / 3
            for i = 1, count do
              local seqKey, epochKey, hist = KEYS[1 + 3 * i], KEYS[2 + 3 * i], KEYS[3 + 3 * i]
              local epoch = redis.call('GET', epochKey)
              if not epoch then
                epoch = ARGV[9] .. '.' .. i
                redis.call('SET', epochKey, epoch)
                redis.call('DEL', seqKey, hist)
              end
              local seq = redis.call('INCR', seqKey)
              redis.call('XADD', hist, 'MAXLEN', '~', ARGV[7], seq .. '-0', 'n', n, 'e', ARGV[13 + i],
                'w', ARGV[12], 't', ARGV[3], 'p', ARGV[4], 'b', ARGV[5], 'a', ARGV[6])
              local oldest = redis.call('XRANGE', hist, '-', '+', 'COUNT', 8)
              local keep = nil
              for _, e in ipairs(oldest) do
                local f = e[2]
                for j = 1, #f, 2 do
                  if f[j] == 'w' and tonumber(f[j + 1]) >= tonumber(ARGV[8]) then keep = keep or e[1] end
                end
              end
              if keep == nil and #oldest > 0 then keep = (tonumber(string.match(oldest[#oldest][1], '^(%d+)')) + 1) .. '-0' end
              if keep then redis.call('XTRIM', hist, 'MINID', keep) end
              redis.call('PEXPIRE', epochKey, ARGV[10])
              redis.call('PEXPIRE', seqKey, ARGV[10])
              redis.call('PEXPIRE', hist, ARGV[10])
              positions[i] = epoch .. ':' .. seq
            end
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[11], '*', 'n', n, 'o', ARGV[1], 'x', ARGV[2],
              't', ARGV[3], 'p', ARGV[4], 'b', ARGV[5], 'a', ARGV[6], 's', table.concat(positions, ','),
              'w', ARGV[12], 'l', ARGV[13])
            redis.call('SET', KEYS[1], ARGV[1])
            return n
            """;

    /**
     * A stream's head as this instance delivered it: the newest history event at or before the log entry released
     * last, or a new epoch for a stream Redis has no record of. KEYS: epoch, seq, history. ARGV: released log seq,
     * new epoch, ttl (ms).
     */
    static final String HEAD = """
            local epoch = redis.call('GET', KEYS[1])
            if not epoch then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              redis.call('DEL', KEYS[2], KEYS[3])
              return {ARGV[2], 0}
            end
            local released = tonumber(ARGV[1])
            local last = '+'
            local oldest = nil
            while true do
              local page = redis.call('XREVRANGE', KEYS[3], last, '-', 'COUNT', 64)
              for _, e in ipairs(page) do
                local f = e[2]
                local n = 0
                for j = 1, #f, 2 do if f[j] == 'n' then n = tonumber(f[j + 1]) end end
                local seq = tonumber(string.match(e[1], '^(%d+)'))
                if n <= released then return {epoch, seq} end
                oldest = seq
              end
              if #page < 64 then break end
              last = '(' .. page[#page][1]
            end
            if oldest then return {epoch, oldest - 1} end
            return {epoch, tonumber(redis.call('GET', KEYS[2]) or '0')}
            """;

    /** A stream's epoch and its history events seq ARGV[1]..ARGV[2]. KEYS: epoch, history. */
    static final String RANGE = """
            local epoch = redis.call('GET', KEYS[1])
            if not epoch then return {} end
            return {epoch, redis.call('XRANGE', KEYS[2], ARGV[1] .. '-0', ARGV[2] .. '-0')}
            """;

    /** Where the log ends now: its last entry id, its seq, and the relay cursor. KEYS: log, logseq, cursor. */
    static final String LOG_END = """
            local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
            local id = '0-0'
            if #last > 0 then id = last[1][1] end
            return {id, redis.call('GET', KEYS[2]) or '0', redis.call('GET', KEYS[3]) or '-1'}
            """;

    /**
     * Records where a caller joined a stream, keeping the earliest join of an epoch. KEYS: grants. ARGV: caller,
     * epoch, seq, ttl (ms).
     */
    static final String JOIN = """
            local at = redis.call('HGET', KEYS[1], ARGV[1])
            if at then
              local epoch, seq = string.match(at, '^(.*):(%d+)$')
              if epoch == ARGV[2] and tonumber(seq) <= tonumber(ARGV[3]) then return 0 end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """;

    /** Takes or renews the lease. KEYS: lease. ARGV: owner, ttl (ms). */
    static final String LEASE = """
            local owner = redis.call('GET', KEYS[1])
            if owner == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if owner then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """;

    /**
     * A token bucket in one hash, on Redis's clock (instances' clocks may differ): one round trip per take.
     * KEYS: bucket. ARGV: per second, burst, ttl (ms). Returns 1 when a token was taken.
     */
    static final String TAKE = """
            local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(b[1]) or burst
            local at = tonumber(b[2]) or now
            tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
            local taken = 0
            if tokens >= 1 then
              tokens = tokens - 1
              taken = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return taken
            """;

    private Scripts() {
    }

    /** EVALSHA, loading the script again when Redis has lost it (a restart). */
    static <T> T run(RedisCommands<String, String> redis, String script, ScriptOutputType type, List<String> keys,
            List<String> args) {
        String[] k = keys.toArray(String[]::new);
        String[] a = args.toArray(String[]::new);
        String sha = redis.digest(script);
        try {
            return redis.evalsha(sha, type, k, a);
        } catch (RedisNoScriptException e) {
            redis.scriptLoad(script);
            return redis.evalsha(sha, type, k, a);
        }
    }
}
