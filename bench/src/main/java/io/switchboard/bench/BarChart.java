package io.switchboard.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A grouped bar chart drawn headless with Java2D and written as PNG: groups on x, one bar per series. */
final class BarChart {

  private static final Color[] COLORS = {new Color(0x2b6cb0), new Color(0xdd6b20), new Color(0x718096), new Color(0x38a169)};
  private static final int W = 1000;
  private static final int H = 520;
  private static final int LEFT = 90;
  private static final int RIGHT = 20;
  private static final int TOP = 60;
  private static final int BOTTOM = 110;

  private final String title;
  private final String unit;
  private final boolean log;
  private final List<String> groups = new ArrayList<>();
  private final Map<String, Map<String, Double>> series = new LinkedHashMap<>();

  BarChart(String title, String unit, boolean log) {
    this.title = title;
    this.unit = unit;
    this.log = log;
  }

  /** A value of one series in one group; values <= 0 (not measured) draw no bar. */
  BarChart put(String group, String serie, double value) {
    if (!groups.contains(group)) {
      groups.add(group);
    }
    series.computeIfAbsent(serie, k -> new LinkedHashMap<>()).put(group, value);
    return this;
  }

  boolean isEmpty() {
    return groups.isEmpty();
  }

  void write(Path file) throws IOException {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

    double max = 0;
    double min = Double.MAX_VALUE;
    for (Map<String, Double> s : series.values()) {
      for (double v : s.values()) {
        if (v > 0) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (max <= 0) {
      max = 1;
      min = 1;
    }
    double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
    double hi = log ? Math.pow(10, Math.ceil(Math.log10(max * 1.01))) : niceCeil(max * 1.1);
    int plotH = H - TOP - BOTTOM;
    int plotW = W - LEFT - RIGHT;

    // y axis, grid and labels
    g.setColor(new Color(0xe2e8f0));
    List<Double> ticks = new ArrayList<>();
    if (log) {
      for (double t = lo; t <= hi * 1.0001; t *= 10) {
        ticks.add(t);
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        ticks.add(hi * i / 5);
      }
    }
    FontMetrics fm = g.getFontMetrics();
    for (double t : ticks) {
      int y = TOP + plotH - scale(t, lo, hi, plotH);
      g.setColor(new Color(0xe2e8f0));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      String label = format(t);
      g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + 4);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
    g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
    g.drawString(unit + (log ? " (log scale)" : ""), 10, TOP - 12);

    // bars
    int n = Math.max(1, groups.size());
    int groupW = plotW / n;
    int barW = Math.max(4, (int) (groupW * 0.8 / Math.max(1, series.size())));
    int gi = 0;
    for (String group : groups) {
      int x0 = LEFT + gi * groupW + (groupW - barW * series.size()) / 2;
      int si = 0;
      for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
        Double v = s.getValue().get(group);
        if (v != null && v > 0) {
          int h = scale(v, lo, hi, plotH);
          g.setColor(COLORS[si % COLORS.length]);
          g.fillRect(x0 + si * barW, TOP + plotH - h, barW - 2, h);
          g.setColor(Color.BLACK);
          String label = format(v);
          if (fm.stringWidth(label) < barW + 20) {
            g.drawString(label, x0 + si * barW + (barW - fm.stringWidth(label)) / 2, TOP + plotH - h - 3);
          }
        }
        si++;
      }
      g.setColor(Color.BLACK);
      drawWrapped(g, group, LEFT + gi * groupW + groupW / 2, TOP + plotH + 16, groupW - 4);
      gi++;
    }

    // legend
    int lx = LEFT;
    int ly = H - 22;
    int si = 0;
    for (String s : series.keySet()) {
      g.setColor(COLORS[si % COLORS.length]);
      g.fillRect(lx, ly - 10, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(s, lx + 16, ly);
      lx += 30 + fm.stringWidth(s) + 20;
      si++;
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private int scale(double v, double lo, double hi, int plotH) {
    if (log) {
      double f = (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
      return (int) Math.round(Math.max(1, f * plotH));
    }
    return (int) Math.round(Math.max(1, v / hi * plotH));
  }

  private static void drawWrapped(Graphics2D g, String text, int cx, int y, int width) {
    FontMetrics fm = g.getFontMetrics();
    StringBuilder line = new StringBuilder();
    int row = 0;
    for (String word : text.split(" ")) {
      if (line.length() > 0 && fm.stringWidth(line + " " + word) > width) {
        g.drawString(line.toString(), cx - fm.stringWidth(line.toString()) / 2, y + row++ * 14);
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    g.drawString(line.toString(), cx - fm.stringWidth(line.toString()) / 2, y + row * 14);
  }

  private static double niceCeil(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  static String format(double v) {
    if (v == 0) {
      return "0";
    }
    if (v >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
    }
    if (v >= 10_000) {
      return String.format(Locale.ROOT, "%.0fk", v / 1000);
    }
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%.1fk", v / 1000);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (v >= 1) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
