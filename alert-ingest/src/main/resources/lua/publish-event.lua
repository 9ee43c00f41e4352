-- Publishes one AlertEvent atomically (the contract between alert-ingest and its consumers).
-- KEYS[1] sequence counter   KEYS[2] epoch   KEYS[3] history stream   KEYS[4] events channel
-- KEYS[5] relay stream (read by notification-relay's consumer group, so it sees every event at least once)
-- ARGV[1] the event JSON without epoch and seq, starting with '{'
-- ARGV[2] approximate maximum length of the history stream
-- ARGV[3] a fresh random epoch, used when the sequence has none yet
-- ARGV[4] approximate maximum length of the relay stream
-- Returns the event's seq.
local seq = redis.call('INCR', KEYS[1])
local epoch
if seq == 1 then
  -- A sequence that starts again is a new sequence: earlier positions must not be mistaken for it.
  redis.call('SET', KEYS[2], ARGV[3])
  epoch = ARGV[3]
else
  redis.call('SET', KEYS[2], ARGV[3], 'NX')
  epoch = redis.call('GET', KEYS[2])
end
local seqText = string.format('%d', seq)
local event = '{"epoch":' .. cjson.encode(epoch) .. ',"seq":' .. seqText .. ',' .. string.sub(ARGV[1], 2)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'seq', seqText, 'event', event)
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'seq', seqText, 'event', event)
redis.call('PUBLISH', KEYS[4], event)
return seq
