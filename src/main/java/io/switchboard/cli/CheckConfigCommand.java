package io.switchboard.cli;

import io.switchboard.config.ConfigLoader;
import io.switchboard.config.Setting;
import io.switchboard.config.SettingSource;
import io.switchboard.config.StoreOptions;
import io.switchboard.config.SwitchboardOptions;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code check-config [-conf FILE] [-cluster]}: the checks a node makes at start, without starting
 * one. A problem is reported as the node reports it (exit 78, the key named); a valid configuration
 * is printed setting by setting, with where each value came from.
 */
final class CheckConfigCommand implements Command {

  static final Options OPTIONS = new Options()
      .value("conf", "-conf", "--conf")
      .flag("cluster", "-c", "-cluster", "--cluster");

  /** Unset, these keep the value of cluster.xml rather than a default of the node's. */
  private static final Set<Setting> FROM_CLUSTER_XML =
      EnumSet.of(Setting.CLUSTER_NAME, Setting.CLUSTER_PORT, Setting.CLUSTER_MEMBERS, Setting.CLUSTER_INTERFACE);
  private static final int MAX_VALUE_COLUMN = 40;

  @Override
  public int run(Invocation invocation) {
    Options.Parsed own = invocation.options(OPTIONS);
    boolean clustered = own.has("cluster") || invocation.nodeOptions().has("cluster");
    ConfigSource config = ConfigSource.load(invocation.nodeOption(own, "conf"), invocation.env(), clustered);
    PrintStream out = invocation.out();
    out.println("Valid configuration: " + origin(config) + ".");
    out.println(summary(config));
    out.println();
    print(out, rows(config));
    return 0;
  }

  static List<String[]> rows(ConfigSource config) {
    List<String[]> rows = new ArrayList<>();
    for (Setting s : SettingValues.bySection().values().stream().flatMap(List::stream).toList()) {
      Object value = SettingValues.of(s, config.options());
      Object raw = SettingSource.raw(s, config.file(), config.env());
      SettingSource source = SettingSource.of(s, config.file(), config.env());
      String shown = FROM_CLUSTER_XML.contains(s) && (value == null || value instanceof List<?> l && l.isEmpty())
          ? "(cluster.xml)" : Masked.display(s, value, raw);
      String from = switch (source) {
        case ENV -> "env " + s.env();
        case FILE -> "file";
        case DEFAULT -> "default";
      };
      rows.add(new String[] {s.key(), shown, from});
    }
    return rows;
  }

  private static void print(PrintStream out, List<String[]> rows) {
    int key = "KEY".length();
    int value = "VALUE".length();
    for (String[] r : rows) {
      key = Math.max(key, r[0].length());
      value = Math.max(value, Math.min(MAX_VALUE_COLUMN, r[1].length()));
    }
    String format = "%-" + key + "s  %-" + value + "s  %s%n";
    out.printf(format, "KEY", "VALUE", "FROM");
    for (String[] r : rows) {
      out.printf(format, (Object[]) r);
    }
  }

  private static String origin(ConfigSource config) {
    long variables = config.env().keySet().stream().filter(k -> k.startsWith(ConfigLoader.ENV_PREFIX)).count();
    String file = config.conf() == null ? "no -conf" : "-conf " + (config.file() != null && config.conf().trim().startsWith("{")
        ? "JSON" : config.conf());
    return file + ", " + variables + " " + ConfigLoader.ENV_PREFIX + "* environment variable" + (variables == 1 ? "" : "s")
        + ", " + (config.clustered() ? "clustered (-cluster)" : "standalone");
  }

  private static String summary(ConfigSource config) {
    SwitchboardOptions o = config.options();
    String store = o.getStore().resolvedType(config.clustered());
    String proxy = o.getProxy().getConnectUrl();
    String tokens = !o.getAuth().hasTokenKey() ? null : o.getAuth().getJwtAlgorithm() + " tokens, checked with "
        + (o.getAuth().getJwtSecret() != null ? Setting.AUTH_JWT_SECRET.key() : Setting.AUTH_JWT_PUBLIC_KEY.key());
    String auth = o.getAuth().isDevMode()
        ? "dev mode: /dev/token signs tokens for anyone, loopback addresses only; not for production"
        : proxy == null ? tokens
        : (tokens == null ? "" : tokens + ", and ") + "the connect proxy " + proxy + " for any other credential";
    return "Listens on " + o.getHttp().getHost() + ":" + o.getHttp().getPort() + "; store: " + store
        + (StoreOptions.MEMORY.equals(store) ? " (lost when the node stops)" : "") + "; auth: " + auth + ".";
  }
}
