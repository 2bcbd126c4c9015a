package io.switchboard.client;

import io.switchboard.support.NodeProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The demo page, which uses the JavaScript client SDK served by the node, in headless Chromium
 * (clients/js/test/browser/demo.browser.mjs, playwright-core driving Debian's chromium): two people
 * chat, go offline and come back to every message once, in order; the page on a phone-sized screen;
 * a node process the script starts itself (from the jar) restarted while a message is typed. Skips
 * without Node.js or Chromium unless -Djs.required=true.
 */
class BrowserIT {

  @Test
  void theDemoPageChatsAndCatchesUpAfterGoingOffline() throws Exception {
    JsTools.requireNode();
    String chromium = JsTools.requireChromium();
    JsTools.npmCi();
    NodeProcess[] nodes = JsTools.startNodes("browser-it");
    try {
      Map<String, String> env = new java.util.LinkedHashMap<>(JsTools.env(nodes[0], nodes[1]));
      env.put("CHROMIUM", chromium);
      env.put("SB_SHOTS", Path.of("target", "browser-shots").toAbsolutePath().toString());
      JsTools.Result r = JsTools.run("browser", List.of(JsTools.node(), "test/browser/demo.browser.mjs"), env, Duration.ofMinutes(6));
      assertEquals(0, r.exit(), "the browser test failed:\n" + r.tail()
          + "\n--- node log ---\n" + JsClientIT.tail(nodes[0].log()));
    } finally {
      for (NodeProcess n : nodes) {
        n.close();
      }
    }
  }
}
