package io.switchboard.logging;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.support.NodeProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** log.format=json: one JSON object per line, from the first line a node process writes. */
class JsonLogFormatTest {

  static final List<String> FIELDS = List.of("time", "level", "logger", "thread", "message");

  @Test
  void aRecordIsOneLineOfJsonWithItsStackTrace() {
    LogRecord record = new LogRecord(Level.WARNING, "first line\nsecond line, password redis://:hunter2hunter2@db:6379");
    record.setLoggerName("io.switchboard.Example");
    record.setThrown(new IllegalStateException("boom"));

    String line = LogFormat.JSON.formatter().format(record);

    assertTrue(line.endsWith(System.lineSeparator()));
    assertEquals(1, line.strip().lines().count(), "one line: " + line);
    JsonObject json = new JsonObject(line);
    assertEquals("WARNING", json.getString("level"));
    assertEquals("io.switchboard.Example", json.getString("logger"));
    assertEquals(Thread.currentThread().getName(), json.getString("thread"));
    assertNotNull(Instant.parse(json.getString("time")));
    assertTrue(json.getString("message").startsWith("first line\nsecond line"));
    assertFalse(line.contains("hunter2"), "credentials masked: " + line);
    assertTrue(json.getString("exception").contains("IllegalStateException: boom"));
    assertTrue(json.getString("exception").contains("JsonLogFormatTest"), "the stack trace, not just the message");
  }

  @Test
  void aNodeStartedWithSbLogFormatJsonWritesOnlyJsonLines() throws Exception {
    String log;
    // no configuration: dev mode, whose banner is a multi-line WARNING
    try (NodeProcess node = NodeProcess.startFromClasspath("json-log", List.of(), Map.of("SB_LOG_FORMAT", "json"))) {
      node.awaitReady();
      assertEquals(200, node.get("/dev/token?user=alice").statusCode());
      assertEquals(0, node.stop(Duration.ofSeconds(60)));
      log = node.log();
    }
    List<String> lines = log.lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.size() >= 2, "the banner and the listening line at least:\n" + log);
    for (String line : lines) {
      JsonObject json;
      try {
        json = new JsonObject(line);
      } catch (RuntimeException e) {
        fail("not a JSON object: " + line + "\nwhole output:\n" + log);
        return;
      }
      for (String field : FIELDS) {
        assertTrue(json.getValue(field) instanceof String, "no " + field + " in " + line);
      }
    }
    assertTrue(lines.stream().anyMatch(l -> new JsonObject(l).getString("message").contains("DEV MODE")), log);
  }

  @Test
  void aConfigurationErrorIsAJsonLineToo() throws Exception {
    try (NodeProcess node = NodeProcess.startFromClasspath("json-bad-config", List.of(),
        Map.of("SB_LOG_FORMAT", "json", "SB_HTTP_PORT", "eighty"))) {
      assertEquals(78, node.awaitExit(Duration.ofSeconds(60)));
      List<String> lines = node.log().lines().filter(l -> !l.isBlank()).toList();
      assertEquals(1, lines.size(), node.log());
      JsonObject json = new JsonObject(lines.get(0));
      assertEquals("SEVERE", json.getString("level"));
      assertTrue(json.getString("message").contains("http.port"), lines.get(0));
    }
  }

  @Test
  void unknownFormatsAreRejectedByName() {
    assertEquals(LogFormat.JSON, LogFormat.parse(" JSON "));
    assertEquals(LogFormat.TEXT, LogFormat.parse("text"));
    assertEquals(null, LogFormat.parse("xml"));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        new JsonObject().put("auth", new JsonObject().put("jwtSecret", "x".repeat(40))), Map.of("SB_LOG_FORMAT", "xml")));
    assertTrue(e.getMessage().contains("log.format: must be text or json"), e.getMessage());
    assertEquals(LogFormat.JSON, ConfigLoader.load(new JsonObject().put("log", new JsonObject().put("format", "json")), Map.of())
        .getLog().getFormat());
  }
}
