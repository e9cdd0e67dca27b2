package dev.taskhub.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Prometheus text scrape, read as a scraper reads it: samples by name and labels. */
public final class Scrape {
  private record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples = new ArrayList<>();
  private final String text;

  public Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      int brace = series.indexOf('{');
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0) {
        for (String pair : series.substring(brace + 1, series.length() - 1).split("\",")) {
          if (pair.isBlank()) {
            continue;
          }
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 2).replaceAll("\"$", ""));
        }
      }
      samples.add(new Sample(brace >= 0 ? series.substring(0, brace) : series, labels, value));
    }
  }

  /** The sum of the samples of this name whose labels include {@code labelPairs} (name, value, name, value…); null if none. */
  public Double value(String name, String... labelPairs) {
    Double sum = null;
    for (Sample s : samples) {
      if (!s.name().equals(name)) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        matches &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
      }
      if (matches) {
        sum = (sum == null ? 0 : sum) + s.value();
      }
    }
    return sum;
  }

  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  public String text() {
    return text;
  }
}
