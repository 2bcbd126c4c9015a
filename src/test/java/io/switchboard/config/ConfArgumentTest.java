package io.switchboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@code -conf} the Vert.x launcher would only warn about stops the node, naming the file and the fault. */
class ConfArgumentTest {

  @TempDir
  Path dir;

  @Test
  void aFileWithASyntaxErrorIsRefusedWithTheParseError() throws Exception {
    Path file = Files.writeString(dir.resolve("config.json"), "{\"http\": {\"port\": 8080,}");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfArgument.check(new String[] {"-conf", file.toString()}));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not a JSON object"), e.getMessage());
  }

  @Test
  void aPathThatDoesNotExistIsRefused() {
    String missing = dir.resolve("conf/missing.json").toString();
    ConfigException e = assertThrows(ConfigException.class, () -> ConfArgument.check(new String[] {"-cluster", "--conf=" + missing}));
    assertTrue(e.getMessage().contains(missing + ": no such file"), e.getMessage());
  }

  @Test
  void aJsonArrayIsNotAConfiguration() throws Exception {
    Path file = Files.writeString(dir.resolve("array.json"), "[1, 2]");
    assertThrows(ConfigException.class, () -> ConfArgument.check(new String[] {"--conf", file.toString()}));
    assertThrows(ConfigException.class, () -> ConfArgument.check(new String[] {"-conf"}));
  }

  @Test
  void aValidFileAnInlineObjectOrNoConfAreAccepted() throws Exception {
    Path file = Files.writeString(dir.resolve("ok.json"), "{\"http\": {\"port\": 8080}}");
    assertDoesNotThrow(() -> ConfArgument.check(new String[] {"-conf", file.toString(), "-cluster"}));
    assertDoesNotThrow(() -> ConfArgument.check(new String[] {"-conf", "{\"http\": {\"port\": 8080}}"}));
    assertDoesNotThrow(() -> ConfArgument.check(new String[] {"-cluster"}));
  }
}
