package io.switchboard;

import io.switchboard.config.Setting;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documentation names everything the code defines, so the two cannot drift apart silently. */
class DocsTest {

  @Test
  void configurationDocumentsEveryKeyAndItsEnvironmentVariable() throws Exception {
    String doc = Files.readString(Path.of("docs/configuration.md"));
    for (Setting s : Setting.values()) {
      Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(s.key()) + "` \\| `" + Pattern.quote(s.env()) + "` \\|").matcher(doc);
      assertTrue(row.find(), "docs/configuration.md has no table row for " + s.key() + " / " + s.env());
    }
  }

  @Test
  void protocolDocumentsEveryCloseCodeErrorCodeAndFrameType() throws Exception {
    String doc = Files.readString(Path.of("docs/protocol.md"));
    for (CloseCode c : CloseCode.values()) {
      assertTrue(doc.contains("| " + c.code() + " |"), "docs/protocol.md lacks close code " + c.code());
    }
    for (ErrorCode c : ErrorCode.values()) {
      assertTrue(doc.contains("| `" + c.wire() + "` |"), "docs/protocol.md lacks error code " + c.wire());
    }
    for (Field f : FrameType.class.getFields()) {
      String type = (String) f.get(null);
      assertTrue(doc.contains("\"type\": \"" + type + "\""), "docs/protocol.md has no example of a " + type + " frame");
    }
  }

  @Test
  void everyDocumentTheReadmeLinksExists() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher link = Pattern.compile("\\]\\((docs/[^)#]+)").matcher(readme);
    int links = 0;
    while (link.find()) {
      links++;
      assertTrue(Files.exists(Path.of(link.group(1))), "README links to missing " + link.group(1));
    }
    assertTrue(links >= 4, "README links to the docs");
    assertTrue(readme.contains("mvn verify"), "README gives the test command");
    assertTrue(Files.readString(Path.of(".ci/run")).contains("mvn -B verify"), ".ci/run runs the README's test command");
  }
}
