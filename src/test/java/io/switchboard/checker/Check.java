package io.switchboard.checker;

/**
 * The rules the checker holds the recorded history to, each named so that a failure says which one
 * broke and a run can leave one out ({@code -Dchecker.skip=LATE,PRESENCE_USER}) while its fix is
 * pending. {@link #item} names the defects of issue 11 a rule is known to catch.
 */
enum Check {
  WELCOME_FIRST("1", "welcome is the first frame after hello"),
  NO_WELCOME("1,5", "a hello is answered with welcome or a close within the bound"),
  START("1,2", "each stream starts right after the resume position, else the device's cursor, else the head"),
  SKIP("1,2,3,9", "no seq is skipped without a gap naming it"),
  DUPLICATE("", "no seq is delivered twice in a session"),
  NOT_FOLLOWED("8", "no message of a stream the session does not follow"),
  GAP("", "a gap starts at the session's position and names only seqs the log lost"),
  RESUMED("1", "one resumed per welcome stream, ending where the replay ended"),
  SEQ_REUSED("3", "every sighting of one seq of a stream (delivered, answered, in the log) is one message"),
  SENT("13", "sent names the seq the log holds that (sender, id) at"),
  STORED_TWICE("", "one (sender, stream, id) is stored once within the idempotency window"),
  SEND_ORDER("13", "sends of one session to one stream get seqs in the order they were sent"),
  LATE("3,4,7,9", "an open session holds every stored message of its streams within the repair bound"),
  FOLLOW("7,8,9", "an open session follows exactly its user's rooms that its token allows, within the repair bound"),
  KICK("9", "a disconnect closes every earlier session of the user with 4403 within the repair bound"),
  PRESENCE_USER("4,10", "user presence matches the open sessions once the cluster is quiet"),
  PRESENCE_ROOM("4,10", "room presence matches the online members once the cluster is quiet"),
  ROOM_COST("11", "a presence change to a room costs Hazelcast as many bytes with many users online in it as with few, "
      + "and welcome and joined list at most presence.maxListed of them"),
  PRESENCE_LIVE("4", "while a node is cut off, no user with an open session on another node is reported offline there"),
  READY("4", "a node cut off from the cluster answers 503 on /health/ready until it is back"),
  REFUSAL("5,6,12", "a refused frame or token gets the documented error or close code"),
  CLOSE("", "no close code the client did not give cause for"),
  HELD("14", "a stream's feed holds at most its bound of early deliveries while it fills a hole from the log"),
  REDIS_RECONNECTS("13", "during a Redis outage the nodes' connection attempts follow the backoff"),
  CHECKER("", "the checker itself failed (a bug in the checker, or the cluster would not heal)");

  final String item;
  final String rule;

  Check(String item, String rule) {
    this.item = item.isEmpty() ? "-" : "issue 11 item " + item;
    this.rule = rule;
  }
}
