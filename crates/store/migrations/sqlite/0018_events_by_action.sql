-- The office's waiting requests (close applications, extension requests)
-- are the newest events of two actions; without this index every page's
-- message count walked the event log back from its end past every other
-- action (14 ms per page at a million matters after a few thousand
-- reports, and growing with the log).
CREATE INDEX events_action_seq ON events (action, seq);
