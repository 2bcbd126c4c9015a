package io.switchboard.presence.hazelcast;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.switchboard.presence.hazelcast.PresenceAnswers.Listed;
import io.switchboard.presence.hazelcast.PresenceOps.ForUser;
import io.switchboard.presence.hazelcast.PresenceOps.Identified;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.switchboard.presence.hazelcast.PresenceOps.MAP_TTL;
import static io.switchboard.presence.hazelcast.PresenceOps.TOMBSTONE_MINUTES;

/**
 * The operations on a room's online set: one user's change applied in place, and bounded reads;
 * the rules they all follow are in {@link PresenceOps}.
 */
final class RoomOps {

  private RoomOps() {
  }

  /**
   * Adds (or removes) a user to a room's online set for a generation: an add only replaces an older
   * generation, a removal only removes the same or an older one. Answers the room's online count.
   *
   * <p>The rooms map is kept as objects ({@link PresenceMaps}), so this changes the stored set in
   * place, and the backup replica runs this same processor ({@link #getBackupProcessor()} is the
   * default, this one): one user's worth of work on each replica, whatever the room's size. The
   * set is insertion-ordered so that listing its first users never walks the rest.
   */
  static final class Online extends ForUser implements EntryProcessor<String, LinkedHashMap<String, Long>, Integer> {
    private boolean add;

    Online() {
    }

    Online(String user, long generation, boolean add) {
      super(user, generation);
      this.add = add;
    }

    @Override
    public Integer process(Map.Entry<String, LinkedHashMap<String, Long>> e) {
      return apply(e, user, generation, add).size();
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.ONLINE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      super.writeData(out);
      out.writeBoolean(add);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      super.readData(in);
      add = in.readBoolean();
    }
  }

  /**
   * Counts a user online in a room as {@link Online} does, and answers the room's count and its
   * first {@code limit} users right after, as {@link ListOnline} would: a hello that counts its
   * user in their rooms gets the welcome's online lists with the same call, and the lists hold the
   * user. The backup replica runs it with a limit of 0: the same write, nothing listed.
   */
  static final class Entered extends ForUser implements EntryProcessor<String, LinkedHashMap<String, Long>, Listed> {
    private int limit;

    Entered() {
    }

    Entered(String user, long generation, int limit) {
      super(user, generation);
      this.limit = limit;
    }

    @Override
    public Listed process(Map.Entry<String, LinkedHashMap<String, Long>> e) {
      return list(apply(e, user, generation, true), limit);
    }

    @Override
    public EntryProcessor<String, LinkedHashMap<String, Long>, Listed> getBackupProcessor() {
      return limit == 0 ? this : new Entered(user, generation, 0);
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.ENTERED;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      super.writeData(out);
      out.writeInt(limit);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      super.readData(in);
      limit = in.readInt();
    }
  }

  /**
   * Adds (or removes) {@code user} for {@code generation} as {@link Online} describes; answers the
   * set as it is after (empty and not stored for a removal from a room nobody was in).
   */
  private static LinkedHashMap<String, Long> apply(Map.Entry<String, LinkedHashMap<String, Long>> e, String user,
                                                   long generation, boolean add) {
    LinkedHashMap<String, Long> users = e.getValue();
    if (users == null) {
      users = new LinkedHashMap<>();
      if (!add) {
        return users;
      }
    }
    Long current = users.get(user);
    boolean changed = false;
    if (add && (current == null || current < generation)) {
      users.put(user, generation);
      changed = true;
    } else if (!add && current != null && current <= generation) {
      users.remove(user);
      changed = true;
    }
    if (changed) {
      // an empty set stays for a while: see TOMBSTONE_MINUTES
      ((ExtendedMapEntry<String, LinkedHashMap<String, Long>>) e).setValue(users,
          users.isEmpty() ? TOMBSTONE_MINUTES : MAP_TTL, users.isEmpty() ? TimeUnit.MINUTES : TimeUnit.SECONDS);
    }
    return users;
  }

  /** The set's count and its first {@code limit} users, without walking the rest. */
  private static Listed list(LinkedHashMap<String, Long> users, int limit) {
    ArrayList<String> listed = new ArrayList<>(Math.min(limit, users.size()));
    for (Iterator<String> it = users.keySet().iterator(); it.hasNext() && listed.size() < limit; ) {
      listed.add(it.next());
    }
    return new Listed(users.size(), listed);
  }

  /** A room's online count and at most {@code limit} of its users, read where the set lives. */
  static final class ListOnline extends Identified
      implements EntryProcessor<String, LinkedHashMap<String, Long>, Listed>, ReadOnly {
    private int limit;

    ListOnline() {
    }

    ListOnline(int limit) {
      this.limit = limit;
    }

    @Override
    public Listed process(Map.Entry<String, LinkedHashMap<String, Long>> e) {
      LinkedHashMap<String, Long> users = e.getValue();
      return users == null ? new Listed(0, new ArrayList<>(0)) : list(users, limit);
    }

    @Override
    public EntryProcessor<String, LinkedHashMap<String, Long>, Listed> getBackupProcessor() {
      return null;
    }

    @Override
    public int getClassId() {
      return PresenceSerialization.LIST_ONLINE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(limit);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      limit = in.readInt();
    }
  }
}
