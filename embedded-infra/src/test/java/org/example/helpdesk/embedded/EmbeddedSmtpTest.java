package org.example.helpdesk.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSmtpTest {

  @TempDir Path directory;

  @Test
  void eachMailIsKeptAsAFileAndReportedInOneLine() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (var smtp = EmbeddedSmtp.start(directory, 0, lines::add)) {
      var setup = new ServerSetup(smtp.port(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
      GreenMailUtil.sendTextEmail(
          "ada@example.org", "helpdesk@example.org", "Your issue", "Hello Ada", setup);
      GreenMailUtil.sendTextEmail(
          "bob@example.org", "helpdesk@example.org", "Your other issue", "Hello Bob", setup);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (lines.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("mail to ada@example.org: \"Your issue\""), lines.get(0));
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> kept = files.sorted().toList();
      assertEquals(
          List.of("00001.eml", "00002.eml"),
          kept.stream().map(p -> p.getFileName().toString()).toList());
      assertTrue(Files.readString(kept.get(1)).contains("Hello Bob"));
    }
  }
}
