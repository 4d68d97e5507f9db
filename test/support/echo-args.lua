-- For src/rate-limit/charge.test.ts: what a script sees of its own KEYS and ARGV (counts, first and last), and
-- one write so that a refused charge can be seen to have changed nothing.
-- KEYS[1] a counter to add 1 to; ARGV anything.
redis.call('INCRBY', KEYS[1], 1)
return {#KEYS, #ARGV, KEYS[1], KEYS[#KEYS], ARGV[1] or '', ARGV[#ARGV] or ''}
