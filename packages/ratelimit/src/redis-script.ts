// The Lua script behind every RedisStore call: one atomic, all-or-nothing decision (or settlement) per round trip.
// It mirrors the MemoryStore algorithms in src/algorithms exactly; the shared contract tests hold both to that.
import { createHash } from 'node:crypto';
import { concurrencyRetryHintMs } from './algorithms/concurrency.ts';
import { epsilon, minimumExcess } from './decision-math.ts';
import type { Algorithm } from './types.ts';

export const algorithmCodes: Readonly<Record<Algorithm, string>> = {
  'sliding-window': 'sw',
  'sliding-log': 'sl',
  'token-bucket': 'tb',
  gcra: 'gc',
  'fixed-window': 'fw',
  concurrency: 'cc',
};

/** ARGV before the shapes: now override ('' = server TIME), TTL slack ms, number of operations, number of shapes. */
export const headerArguments = 4;
/** ARGV per shape before its limits: op, requests, tokens, reservation id, ttlMs, actual tokens, lease base, limits. */
export const shapeArguments = 8;
/** ARGV per limit of a shape: algorithm code, limit, windowMs, unit ('r' | 't'). */
export const argumentsPerLimit = 4;

// One call runs a batch of operations in order, each atomic and all-or-nothing on its own: concurrent decisions
// share one script invocation and one round trip.
// KEYS: one state string K per limit of every operation, in order. K ends in ':s'; its holds sorted set (':h', member
//       "id|amount", score expiry) and its sliding-log sorted set (':l', member "seq|amount", score time) are
//       derived from K in the script: fewer arguments to encode, and the shared hash tag keeps them in K's slot.
// ARGV: now override ('' = server TIME), TTL slack ms (tests with a fake clock, where real time does not follow),
//       operation count, shape count; then per shape: op ('d' decide | 's' settle), requests, tokens, reservation
//       id ('' = none), reservation ttlMs, actual tokens ('' = none), lease id base for check(), limit count, then
//       per limit: code, limit, windowMs, unit; then, if there are several shapes, per operation the 1-based index
//       of its shape. Operations of a batch mostly share one shape (the same limits, one request, no reservation):
//       sending and converting it once, not once per operation, is most of what a batched decision costs in Redis
//       and in the client.
// State, packed with struct (little-endian doubles): g algorithm code (2 characters), a b c algorithm state (as in
//       src/algorithms), h held total, x latest hold expiry, e when the state becomes fresh again. A state holding
//       nothing (h = x = 0, nearly all) leaves h and x out: 34 bytes, which Redis keeps in one allocation with its
//       object. One SET with PX writes it and its TTL (a hash needed HSET and PEXPIRE), and the call reads all states
//       with one MGET (a hash needed an HMGET each).
// Reply, per operation: an allowed decision gives 0, then per limit remaining and resetMs; a denied one gives the
//       failed limit's 1-based index and retryAfterMs, then per limit allowed (1 or 0), remaining and resetMs; a
//       settlement gives 1. Nearly every decision is allowed: its short form is half as many integers to build,
//       send and parse.
export const script = `
local EPS = ${epsilon}
local MIN_EXCESS = ${minimumExcess}
local HINT = ${concurrencyRetryHintMs}
local INF = math.huge
-- Packed state (struct): algorithm code, a, b, c, [h, x,] e; the lean form, for states holding nothing, is the
-- common one and fits Redis's embedded strings.
local LEAN_FORMAT = '<c2dddd'
local HELD_FORMAT = '<c2dddddd'
local LEAN = 34
-- Equal to no algorithm's code, so a state stored with it reads back as fresh, as a missing one does.
local NONE = '--'
-- SET's KEEPTTL came with Redis 6.0; redis.REDIS_VERSION_NUM with 7.0, so its presence is a safe test.
local KEEPTTL = redis.REDIS_VERSION_NUM ~= nil
local now
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local slack = tonumber(ARGV[2])
local operations = tonumber(ARGV[3])
local shapeCount = tonumber(ARGV[4])
-- The current operation's parameters, set before each one runs.
local requests, tokens, rid, ttl, actual, leaseBase

-- Only for numbers inside member strings; redis.call() itself converts numbers without loss.
local function fmt(v) return string.format('%.17g', v) end
local function num(v) if v then return tonumber(v) end return 0 end
local function fits(used, cost, limit)
  if cost > 0 then return used + cost <= limit + EPS end
  return used < limit - EPS
end
local function remaining(limit, used)
  local r = math.floor(limit - used + EPS)
  if r > 0 then return r end
  return 0
end
local function roundRetry(ms)
  local r = math.ceil(ms)
  if r < 1 then return 1 end
  return r
end
-- K ends in ':s'; its holds and log end in ':h' and ':l', so no key of one kind can equal a key of another.
local function sibling(key, kind) return string.sub(key, 1, -2) .. kind end
-- Sibling keys are built only when used: most limits never hold or log anything.
local function holdsKey(s)
  if s.zk == nil then s.zk = sibling(s.hk, 'h') end
  return s.zk
end
local function logKey(s)
  if s.lk == nil then s.lk = sibling(s.hk, 'l') end
  return s.lk
end
local function amountOf(member) return tonumber(string.match(member, '|([^|]*)$')) end
local function lastLogTime(s)
  local last = redis.call('ZRANGE', logKey(s), -1, -1, 'WITHSCORES')
  if last[2] then return tonumber(last[2]) end
  return nil
end

-- States read in this call, by key: a key used by several operations of one batch (a hot key, a shared team
-- limit) is read once and written once, at the end.
local cache = {}
local loadedStates = {}

-- spec: one limit of a shape, { algo, limit, window, unit }.
-- Every state of the call, read up front by one MGET per 1,000 keys (raws[i] is KEYS[i]'s, false when missing):
-- one command for the batch instead of one GET per limit, each of which costs more to call than to run.
local raws = {}
for first = 1, #KEYS, 1000 do
  local last = math.min(first + 999, #KEYS)
  local values = redis.call('MGET', unpack(KEYS, first, last))
  for i = 1, #values do raws[first + i - 1] = values[i] end
end

-- index: the state's position in KEYS.
local function load(index, spec)
  local key = KEYS[index]
  local s = cache[key]
  if s then
    s.algo = spec.algo; s.limit = spec.limit; s.window = spec.window; s.unit = spec.unit
  else
    local raw = raws[index]
    local g, a, b, c, h, x, e = false, 0, 0, 0, 0, 0, 0
    if raw then
      if #raw == LEAN then g, a, b, c, e = struct.unpack(LEAN_FORMAT, raw)
      else g, a, b, c, h, x, e = struct.unpack(HELD_FORMAT, raw) end
    end
    -- All fields in one constructor, since a Lua table grown field by field rehashes; and no more than 16, the
    -- next size up costing about twice as much to build. States that hold or log add their sibling key names
    -- (zk, lk) when first used.
    s = {
      hk = key, algo = spec.algo, limit = spec.limit, window = spec.window, unit = spec.unit,
      g = g, a = a, b = b, c = c, h = h, x = x, e = e, raw = raw, x0 = x, e0 = e, fresh = false,
    }
    cache[key] = s
    loadedStates[#loadedStates + 1] = s
    if h > 0 then
      local zk = holdsKey(s)
      local expired = redis.call('ZRANGEBYSCORE', zk, '-inf', now)
      if #expired > 0 then
        for _, member in ipairs(expired) do s.h = s.h - amountOf(member) end
        redis.call('ZREMRANGEBYSCORE', zk, '-inf', now)
      end
      -- The holds key's own TTL may have removed it already (it ends with its last hold): nothing is held then.
      if redis.call('ZCARD', zk) == 0 then s.h = 0 end
    end
    -- Expiry is judged once per call: later operations on this key see the state the earlier ones left.
    s.fresh = s.h == 0 and now >= s.e
  end
  s.fresh = s.fresh or s.g ~= s.algo
  if s.fresh and s.algo == 'sl' then redis.call('DEL', logKey(s)) end
  return s
end

local function used(s)
  local L, W = s.limit, s.window
  s.g = s.algo
  if s.algo == 'sw' then
    if s.fresh then s.a = now; s.b = 0; s.c = 0
    elseif now >= s.a + W then
      local k = math.floor((now - s.a) / W)
      if k == 1 then s.c = s.b else s.c = 0 end
      s.b = 0
      s.a = s.a + k * W
    end
    s.fresh = false
    if s.c == 0 then return s.b end
    return s.c * (1 - (now - s.a) / W) + s.b
  elseif s.algo == 'fw' then
    if s.fresh then s.a = now; s.b = 0
    elseif now >= s.a + W then s.a = s.a + math.floor((now - s.a) / W) * W; s.b = 0 end
    s.fresh = false
    return s.b
  elseif s.algo == 'tb' then
    if s.fresh then s.a = L; s.b = now
    elseif now > s.b then s.a = math.min(L, s.a + (now - s.b) * L / W); s.b = now end
    s.fresh = false
    return L - s.a
  elseif s.algo == 'gc' then
    if s.fresh then s.a = now end
    s.fresh = false
    if s.a > now then return (s.a - now) * L / W end
    return 0
  elseif s.algo == 'sl' then
    if s.fresh then s.b = 0; s.c = 0; s.fresh = false; return 0 end
    local horizon = now - W
    local old = redis.call('ZRANGEBYSCORE', logKey(s), '-inf', horizon)
    if #old > 0 then
      for _, member in ipairs(old) do s.b = s.b - amountOf(member) end
      redis.call('ZREMRANGEBYSCORE', logKey(s), '-inf', horizon)
      if redis.call('ZCARD', logKey(s)) == 0 then s.b = 0 end
    end
    return s.b
  end
  s.fresh = false
  return 0
end

local function consume(s, amount)
  if s.algo == 'sw' or s.algo == 'fw' then s.b = s.b + amount
  elseif s.algo == 'tb' then s.a = s.a - amount
  elseif s.algo == 'gc' then s.a = math.max(s.a, now) + amount * s.window / s.limit
  elseif s.algo == 'sl' and amount > 0 then
    s.c = s.c + 1
    redis.call('ZADD', logKey(s), now, s.c .. '|' .. fmt(amount))
    s.b = s.b + amount
  end
end

local function algorithmResetMs(s)
  local W = s.window
  if s.algo == 'sw' then
    if s.b > 0 then return s.a + 2 * W - now end
    if s.c > 0 then return s.a + W - now end
    return 0
  elseif s.algo == 'fw' then
    if s.b > 0 then return s.a + W - now end
    return 0
  elseif s.algo == 'tb' then return (s.limit - s.a) * W / s.limit
  elseif s.algo == 'gc' then return math.max(0, s.a - now)
  elseif s.algo == 'sl' then
    local last = lastLogTime(s)
    if last then return last + W - now end
    return 0
  end
  return 0
end

-- Held tokens become usage when committed, so the limit is not whole again for a window at least (as in
-- MemoryStore's resetOf).
local function resetMs(s)
  local r = algorithmResetMs(s)
  if s.h > 0 and s.algo ~= 'cc' and r < s.window then return s.window end
  return r
end

local function waitFor(s, excess)
  local W = s.window
  if s.algo == 'sw' then
    local previousLeft = s.c * (1 - (now - s.a) / W)
    if excess <= previousLeft then return excess * W / s.c end
    local still = excess - previousLeft
    if still > s.b then return INF end
    return s.a + W - now + still * W / s.b
  elseif s.algo == 'fw' then
    if excess <= s.b then return s.a + W - now end
    return INF
  elseif s.algo == 'tb' or s.algo == 'gc' then return excess * W / s.limit
  elseif s.algo == 'sl' then
    local entries = redis.call('ZRANGE', logKey(s), 0, -1, 'WITHSCORES')
    local freed = 0
    for j = 1, #entries, 2 do
      freed = freed + amountOf(entries[j])
      if freed >= excess then return tonumber(entries[j + 1]) + W - now end
    end
    return INF
  end
  return INF
end

local function retryAfter(s, excess)
  if excess < MIN_EXCESS then excess = MIN_EXCESS end
  local waited = waitFor(s, excess)
  if waited ~= INF then return roundRetry(waited) end
  if s.h > 0 then
    local first = redis.call('ZRANGE', holdsKey(s), 0, 0, 'WITHSCORES')
    if first[2] then return roundRetry(math.min(HINT, tonumber(first[2]) - now)) end
  end
  return roundRetry(math.max(resetMs(s), s.window))
end

local function expiresAt(s)
  local W = s.window
  if s.algo == 'sw' then return s.a + 2 * W
  elseif s.algo == 'fw' then return s.a + W
  elseif s.algo == 'tb' then return s.b + (s.limit - s.a) * W / s.limit
  elseif s.algo == 'gc' then return s.a
  elseif s.algo == 'sl' then
    local last = lastLogTime(s)
    if last then return last + W end
  end
  return 0
end

local function ttlOf(at)
  local ms = math.ceil(at - now) + slack
  if ms < 1 then return 1 end
  return ms
end

-- Runs once per state at the end of the call: one SET of the packed state with its TTL, skipped when nothing
-- changed; the log's TTL moves only with the expiry, and the holds' TTL only with the latest hold.
local function persist(s)
  local e = expiresAt(s)
  if s.e > e then e = s.e end
  if s.x > e then e = s.x end
  s.e = e
  -- Nothing held means the holds key is gone (it is deleted with its last member): the next hold must set its
  -- TTL afresh, whatever the expiry of earlier holds was.
  if s.h == 0 then s.x = 0 end
  -- Nothing held and already expired reads back exactly like a missing state: do not store one.
  if not s.raw and s.h == 0 and e <= now then return end
  -- A settlement can load a state no algorithm has set (it expired meanwhile): NONE stands for its missing code.
  local g = s.g or NONE
  local packed
  if s.h == 0 and s.x == 0 then packed = struct.pack(LEAN_FORMAT, g, s.a, s.b, s.c, e)
  else packed = struct.pack(HELD_FORMAT, g, s.a, s.b, s.c, s.h, s.x, e) end
  -- The packed state includes e: an unchanged string means an unchanged expiry too. An unchanged expiry keeps
  -- its TTL where the server has KEEPTTL (cheaper than removing and adding it again); elsewhere PX sets the TTL
  -- again, and it lands where it was, e plus any slack.
  if packed ~= s.raw then
    if e == s.e0 and s.raw and KEEPTTL then redis.call('SET', s.hk, packed, 'KEEPTTL')
    else redis.call('SET', s.hk, packed, 'PX', ttlOf(e)) end
  end
  if e ~= s.e0 and s.algo == 'sl' and s.b > 0 then redis.call('PEXPIRE', logKey(s), ttlOf(e)) end
  if s.x ~= s.x0 and s.x > 0 then redis.call('PEXPIRE', holdsKey(s), ttlOf(s.x)) end
end

local function costOf(s)
  if s.unit == 't' then return tokens end
  return requests
end

local reply = {}
-- The reply's length, kept by hand: Lua's # operator searches for the border on every use.
local rn = 0

-- Per limit of the operation being decided: its state, what it has used and what this operation costs it. Reused
-- by every operation (decide does not nest), rather than tables built for each.
local states, useds, costs = {}, {}, {}

local function decide(firstKey, specs, count)
  local failed = 0
  local retry = 0
  for i = 1, count do
    local s = load(firstKey + i - 1, specs[i])
    local u = used(s) + s.h
    local cost = costOf(s)
    if not fits(u, cost, s.limit) then
      if failed == 0 then failed = i end
      -- The call fits only once every limit it exceeds has room, so the hint waits for the slowest.
      local wait = retryAfter(s, u + cost - s.limit)
      if wait > retry then retry = wait end
    end
    states[i] = s; useds[i] = u; costs[i] = cost
  end
  if failed > 0 then
    rn = rn + 1; reply[rn] = failed
    rn = rn + 1; reply[rn] = retry
    for i = 1, count do
      local s, u = states[i], useds[i]
      local ok = 0
      if fits(u, costs[i], s.limit) then ok = 1 end
      rn = rn + 1; reply[rn] = ok
      rn = rn + 1; reply[rn] = remaining(s.limit, u)
      rn = rn + 1; reply[rn] = math.ceil(resetMs(s))
    end
    return
  end
  rn = rn + 1; reply[rn] = 0
  for i = 1, count do
    local s, cost = states[i], costs[i]
    if s.algo == 'cc' or (rid ~= '' and s.unit == 't') then
      if cost > 0 then
        local id = rid
        local expiry = now + ttl
        if rid == '' then
          id = leaseBase .. ':' .. i
          expiry = now + s.window
        end
        redis.call('ZADD', holdsKey(s), expiry, id .. '|' .. fmt(cost))
        s.h = s.h + cost
        if expiry > s.x then s.x = expiry end
      end
    else
      consume(s, cost)
    end
    rn = rn + 1; reply[rn] = remaining(s.limit, useds[i] + cost)
    rn = rn + 1; reply[rn] = math.ceil(resetMs(s))
  end
end

local function settle(firstKey, specs, count)
  for i = 1, count do
    local spec = specs[i]
    local algo, unit = spec.algo, spec.unit
    if algo == 'cc' or unit == 't' then
      local s = load(firstKey + i - 1, spec)
      local amount = requests
      if unit == 't' then amount = tokens end
      if amount > 0 and redis.call('ZREM', holdsKey(s), rid .. '|' .. fmt(amount)) == 1 then
        s.h = s.h - amount
        if redis.call('ZCARD', holdsKey(s)) == 0 then s.h = 0 end
      end
      if actual ~= '' and unit == 't' and algo ~= 'cc' and tonumber(actual) > 0 then
        used(s)
        consume(s, tonumber(actual))
      end
    end
  end
  rn = rn + 1; reply[rn] = 1
end

local shapes = {}
local arg = ${headerArguments}
for index = 1, shapeCount do
  local count = tonumber(ARGV[arg + 8])
  local specs = {}
  for i = 1, count do
    local base = arg + ${shapeArguments} + (i - 1) * ${argumentsPerLimit}
    specs[i] = { algo = ARGV[base + 1], limit = tonumber(ARGV[base + 2]), window = tonumber(ARGV[base + 3]), unit = ARGV[base + 4] }
  end
  shapes[index] = {
    op = ARGV[arg + 1], requests = tonumber(ARGV[arg + 2]), tokens = tonumber(ARGV[arg + 3]), rid = ARGV[arg + 4],
    ttl = tonumber(ARGV[arg + 5]), actual = ARGV[arg + 6], leaseBase = ARGV[arg + 7], count = count, specs = specs,
  }
  arg = arg + ${shapeArguments} + count * ${argumentsPerLimit}
end
local key = 1
local shape = shapes[1]
for _ = 1, operations do
  if shapeCount > 1 then
    arg = arg + 1
    shape = shapes[tonumber(ARGV[arg])]
  end
  requests = shape.requests
  tokens = shape.tokens
  rid = shape.rid
  ttl = shape.ttl
  actual = shape.actual
  leaseBase = shape.leaseBase
  if shape.op == 'd' then decide(key, shape.specs, shape.count) else settle(key, shape.specs, shape.count) end
  key = key + shape.count
end
for _, s in ipairs(loadedStates) do persist(s) end
return reply
`;

export const scriptSha = createHash('sha1').update(script).digest('hex');
