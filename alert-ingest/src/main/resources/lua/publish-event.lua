-- Publishes one AlertEvent atomically (the contract between alert-ingest and its consumers).
-- KEYS[1] sequence counter   KEYS[2] epoch   KEYS[3] history stream   KEYS[4] events channel
-- KEYS[5] relay stream (read by notification-relay's consumer group, so it sees every event at least once)
-- KEYS[6] de-duplication key of this change (<prefix>change:<changeId>)
-- KEYS[7] leader lock (<prefix>ingest:leader)
-- ARGV[1] the event JSON without epoch and seq, starting with '{'
-- ARGV[2] approximate maximum length of the history stream
-- ARGV[3] a fresh random epoch, used only when neither Redis nor ingest's store knows a sequence
-- ARGV[4] approximate maximum length of the relay stream
-- ARGV[5] the last seq ingest stored (-1: none)
-- ARGV[6] the epoch ingest stored with it ('' : none)
-- ARGV[7] de-duplication window in seconds
-- ARGV[8] the caller's leader lock token ('' : publish without a leader check)
-- ARGV[9] '1' when the caller knows the history lost writes and is re-publishing them ('' : check for a loss)
-- Returns {seq, epoch, duplicate (0|1)}, or the error 'NOTLEADER' (nothing written), or the error
-- 'LOSTWRITES <seq> <event>' (nothing written): the history of the stored epoch ends at <seq>, below the stored
-- position, and <event> is its last entry; the caller re-publishes what followed it from its own record.

-- Fencing: a replica that lost the leader lock (paused, partitioned) must not publish next to the new leader.
if ARGV[8] ~= '' and redis.call('GET', KEYS[7]) ~= ARGV[8] then
  return redis.error_reply('NOTLEADER this replica does not hold the ingest leader lock')
end

-- A change that was already published (replayed after a crash between publish and saving the resume token)
-- is not published again; the caller treats it as published at its earlier seq.
local earlier = redis.call('GET', KEYS[6])
if earlier then
  return {tonumber(earlier), redis.call('GET', KEYS[2]) or '', 1}
end

local storedSeq = tonumber(ARGV[5]) or -1
local storedEpoch = ARGV[6]

-- The last position in the history stream (entry ids are <seq>-0).
local function lastHistorySeq()
  local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
  if #last == 0 then
    return 0
  end
  return tonumber(string.match(last[1][1], '^(%d+)')) or 0
end

if redis.call('EXISTS', KEYS[1]) == 0 then
  if storedSeq >= 0 and storedEpoch ~= '' then
    -- Redis came back empty (or lost the counter): continue the stored sequence, so positions stay comparable.
    redis.call('SET', KEYS[1], string.format('%d', storedSeq))
    redis.call('SET', KEYS[2], storedEpoch)
  else
    -- Neither side knows a sequence: a new one starts, under a new epoch. History of an older epoch cannot be
    -- addressed by the new positions, so it goes.
    redis.call('DEL', KEYS[3])
    redis.call('SET', KEYS[2], ARGV[3])
  end
elseif storedEpoch ~= '' and redis.call('GET', KEYS[2]) == storedEpoch then
  -- Writes this epoch's history once had are gone (a failover to a replica that had not received them, or a
  -- restore from an older snapshot): ingest published up to storedSeq, the history ends before it. Report the
  -- last entry that survived, so ingest re-publishes what followed it; consumers drop what they had by changeId.
  local tail = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
  if ARGV[9] ~= '1' and #tail > 0 then
    local tailSeq = tonumber(string.match(tail[1][1], '^(%d+)')) or 0
    if tailSeq < storedSeq then
      local fields = tail[1][2]
      local tailEvent = ''
      for i = 1, #fields, 2 do
        if fields[i] == 'event' then
          tailEvent = fields[i + 1]
        end
      end
      return redis.error_reply('LOSTWRITES ' .. tailSeq .. ' ' .. tailEvent)
    end
  end
  -- Never hand out a position of this epoch twice: the lost ones were seen by some consumers.
  if tonumber(redis.call('GET', KEYS[1])) < storedSeq then
    redis.call('SET', KEYS[1], string.format('%d', storedSeq))
  end
end

local seq = redis.call('INCR', KEYS[1])
-- Never a position the history already holds (a publish whose position was not stored before a crash, then
-- the counter lost): XADD would refuse the id, so move past it.
local last = lastHistorySeq()
if seq <= last then
  seq = last + 1
  redis.call('SET', KEYS[1], string.format('%d', seq))
end
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  epoch = ARGV[3]
  redis.call('SET', KEYS[2], epoch)
end
local seqText = string.format('%d', seq)
local event = '{"epoch":' .. cjson.encode(epoch) .. ',"seq":' .. seqText .. ',' .. string.sub(ARGV[1], 2)
-- Entry id <seq>-0: consumers address the history by position (XRANGE <from>-0 +).
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], seqText .. '-0', 'seq', seqText, 'event', event)
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'seq', seqText, 'event', event)
redis.call('PUBLISH', KEYS[4], event)
redis.call('SET', KEYS[6], seqText, 'NX', 'EX', ARGV[7])
return {seq, epoch, 0}
