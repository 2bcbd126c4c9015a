package io.switchboard.webhooks;

import io.switchboard.support.RedisServer;
import io.switchboard.webhooks.EventQueue.DeadLetter;
import io.switchboard.webhooks.EventQueue.Entry;
import io.switchboard.webhooks.EventQueue.Page;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link EventQueue} must do. One subclass per implementation supplies {@link #queue};
 * the assertions are the same for all of them.
 */
public abstract class EventQueueContract {

  /** A fresh, empty queue (two calls in one test share the same data, as two nodes would). */
  protected abstract EventQueue queue(int cap, int deadLetterCap);

  private static List<String> events(List<Entry> entries) {
    return entries.stream().map(Entry::event).toList();
  }

  private static List<String> ids(List<Entry> entries) {
    return entries.stream().map(Entry::id).toList();
  }

  @Test
  void entriesAreTakenInQueueOrderAndLeaveOnceAcked() {
    EventQueue q = queue(100, 100);
    q.add(List.of("a", "b", "c")).await();
    List<Entry> first = q.take("n1", EventQueue.START, 2).await();
    assertEquals(List.of("a", "b"), events(first));
    List<Entry> next = q.take("n1", first.get(1).id(), 10).await();
    assertEquals(List.of("c"), events(next));
    assertTrue(first.get(0).queuedAt() > 0, "the id says when the entry was queued");
    q.ack(ids(first)).await();
    assertEquals(1, q.sizes().await().queued());
    q.ack(ids(next)).await();
    assertEquals(List.of(), q.take("n1", EventQueue.START, 10).await());
    assertEquals(0, q.sizes().await().queued());
  }

  @Test
  void whatADeadConsumerTookAndNeverAckedIsTakenAgainByTheNextOneInOrder() {
    EventQueue q = queue(100, 100);
    q.add(List.of("a", "b", "c", "d")).await();
    List<Entry> lost = q.take("dead-node", EventQueue.START, 3).await();
    assertEquals(List.of("a", "b", "c"), events(lost));
    q.ack(List.of(lost.get(0).id())).await();
    // the next consumer starts from the beginning: the pending entries of the dead one, then new ones
    List<Entry> taken = q.take("live-node", EventQueue.START, 10).await();
    assertEquals(List.of("b", "c", "d"), events(taken));
    assertEquals(ids(lost).subList(1, 3), ids(taken).subList(0, 2), "the same entries, with their ids");
  }

  @Test
  void oneConsumerHoldsTheLeaseUntilItResignsOrItRunsOut() {
    EventQueue q = queue(100, 100);
    assertTrue(q.lead("n1", 60_000).await());
    assertFalse(q.lead("n2", 60_000).await());
    assertTrue(q.lead("n1", 60_000).await(), "renewed");
    q.resign("n2").await();
    assertFalse(q.lead("n2", 60_000).await(), "only the holder resigns");
    q.resign("n1").await();
    assertTrue(q.lead("n2", 200).await());
    RedisServer.await("an expired lease to go to the next that asks", 10_000, () -> q.lead("n1", 60_000).await());
  }

  @Test
  void pastTheCapTheOldestBecomeDeadLettersAndTheDeadLettersAreCappedToo() {
    EventQueue q = queue(3, 4);
    assertEquals(0, q.add(List.of("1", "2", "3")).await());
    assertEquals(2, q.add(List.of("4", "5")).await());
    assertEquals(List.of("3", "4", "5"), events(q.take("n1", EventQueue.START, 10).await()));
    Page dead = q.deadLetters(null, 10).await();
    assertEquals(List.of("1", "2"), dead.entries().stream().map(DeadLetter::event).toList());
    assertEquals(EventQueue.QUEUE_FULL, dead.entries().get(0).reason());
    assertTrue(dead.entries().get(0).at() > 0);
    q.add(List.of("6", "7", "8", "9")).await();
    Page kept = q.deadLetters(null, 10).await();
    assertEquals(List.of("3", "4", "5", "6"), kept.entries().stream().map(DeadLetter::event).toList(),
        "the oldest dead letters go beyond their cap");
    assertEquals(new EventQueue.Sizes(3, 4), q.sizes().await());
  }

  @Test
  void deadLettersArePagedAndReplayedToTheEndOfTheQueueUnchanged() {
    EventQueue q = queue(100, 100);
    q.add(IntStream.range(0, 5).mapToObj(i -> "{\"n\":" + i + "}").toList()).await();
    List<Entry> taken = q.take("n1", EventQueue.START, 5).await();
    q.deadLetter(taken, EventQueue.RETRIES_EXHAUSTED).await();
    q.add(List.of("later")).await();

    Page first = q.deadLetters(null, 2).await();
    assertEquals(List.of("{\"n\":0}", "{\"n\":1}"), first.entries().stream().map(DeadLetter::event).toList());
    assertEquals(EventQueue.RETRIES_EXHAUSTED, first.entries().get(0).reason());
    Page second = q.deadLetters(first.next(), 2).await();
    Page third = q.deadLetters(second.next(), 2).await();
    assertEquals(List.of("{\"n\":4}"), third.entries().stream().map(DeadLetter::event).toList());
    assertNull(third.next(), "the last page says so");

    int replayed = q.replay(List.of(second.entries().get(0).id(), second.entries().get(1).id(), "1-0")).await();
    assertEquals(2, replayed, "unknown ids are skipped");
    List<Entry> queued = q.take("n1", EventQueue.START, 10).await();
    assertEquals(List.of("later", "{\"n\":2}", "{\"n\":3}"), events(queued));
    assertEquals(3, q.deadLetters(null, 10).await().entries().size());
  }

  @Test
  void deadLetteringAnEntryAlreadyGoneDoesNotBuryItTwice() {
    EventQueue q = queue(1, 10);
    q.add(List.of("a")).await();
    List<Entry> taken = q.take("n1", EventQueue.START, 1).await();
    q.add(List.of("b")).await();
    q.deadLetter(taken, EventQueue.RETRIES_EXHAUSTED).await();
    assertEquals(1, q.deadLetters(null, 10).await().entries().size(), "buried once, when the queue was full");
    assertEquals(List.of("b"), events(q.take("n2", EventQueue.START, 10).await()));
  }
}
