package io.switchboard.client.java;

import io.switchboard.client.FileStore;
import io.switchboard.client.SendOptions;
import io.switchboard.client.StateChange;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.SwitchboardListener;
import io.switchboard.client.Welcome;
import org.json.JSONObject;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An app process for {@link JavaClientOutboxIT}, run in a JVM of its own so that it can die by
 * SIGKILL: a client on a {@link FileStore}, driven line by line on stdin, reporting on stdout.
 *
 * <pre>
 * args: url storeDir token device
 * in:   send &lt;to&gt; &lt;count&gt; &lt;idPrefix&gt;   sends {"n": i} with id idPrefix + i, i = 0..count-1
 *       join &lt;room&gt;                     joins the room
 *       pause                           pause(): positions written, the outbox kept
 * out:  STATE &lt;state&gt;                   each state change
 *       JOINED &lt;room or error code&gt;     a join's outcome
 *       WELCOME &lt;rooms rejoining&gt;       each welcome, with the rooms the client joins again
 *       PAUSED                          pause() is done
 *       QUEUED &lt;count&gt;                  the client holds the sends (its thread took them: stored)
 *       DONE &lt;id&gt; &lt;seq or error code&gt;   a send's outcome
 * </pre>
 */
public final class OutboxChild {

  private OutboxChild() {
  }

  public static void main(String[] args) throws Exception {
    SwitchboardClient client = SwitchboardClient.builder(args[0]).token(args[2]).device(args[3])
        .store(new FileStore(new File(args[1])))
        .listener(new SwitchboardListener() {
          @Override
          public void onStateChanged(StateChange change) {
            say("STATE " + change.getState());
          }

          @Override
          public void onWelcome(Welcome w) {
            say("WELCOME " + w.getRejoining());
          }
        }).build();
    client.connect();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] w = line.trim().split(" ");
      if (w[0].equals("send")) {
        int count = Integer.parseInt(w[2]);
        for (int i = 0; i < count; i++) {
          final String id = w[3] + i;
          client.send(w[1], new JSONObject().put("n", i), new SendOptions().setId(id))
              .whenDone((sent, error) -> say("DONE " + id + " " + (error == null ? sent.getSeq() : error.getCode())));
        }
        // getPending() is answered by the client's thread after it took every send above, and a send
        // is written to the store before that thread moves on
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.getPending() < count && System.nanoTime() < deadline) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        say("QUEUED " + client.getPending());
      } else if (w[0].equals("join")) {
        client.join(w[1]).whenDone((joined, error) -> say("JOINED " + (error == null ? joined.getRoom() : error.getCode())));
      } else if (w[0].equals("pause")) {
        client.pause().await(30, TimeUnit.SECONDS);
        say("PAUSED");
      }
    }
    // stdin closed: the test that drove this process is gone
    client.close();
    System.exit(0);
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
