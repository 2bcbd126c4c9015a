package io.switchboard.cli;

/** What {@code switchboard.jar help} prints, and a usage error after its message. */
final class Usage {

  static final String TEXT = """
      Usage: java -jar switchboard.jar [NODE OPTIONS]                  run a node
             java -jar switchboard.jar [NODE OPTIONS] COMMAND [OPTIONS]

      Commands:
        help                   this text (also -h, --help)
        version                Switchboard's version and the Java runtime's (also --version, -version)
        check-config [-conf FILE] [-cluster]
                               check the file and the SB_* environment as a node does at start, and
                               print every setting with its value and where it came from, secrets
                               masked; exit 0 when valid, 78 naming the key when not
        gen-config             print a configuration file with every key, its default and what it
                               does (JSON with comments, accepted by -conf as it is)
        gen-token --user USER [--rooms a,b] [--send p,q] [--broadcast] [--ttl 1h] [-conf FILE]
                               sign a token with auth.jwtSecret (from -conf or SB_JWT_SECRET), for
                               testing a deployment; prints it on standard output

      Node options:
        -conf FILE|JSON        the configuration: a JSON file, or a JSON object given in its place
        -cluster               join the Hazelcast cluster (cluster.xml and the cluster.* settings)
        -cluster-host HOST, -cluster-port PORT, -cluster-public-host HOST, -cluster-public-port PORT
                               the event bus's address between nodes (Vert.x launcher options)
        -options FILE|JSON     Vert.x options (Vert.x launcher option)

      Settings come from the defaults, then -conf, then SB_* environment variables.
      Node options given before a command apply to it (-conf, -cluster) or are ignored.
      Exit status: 0 done, 64 wrong arguments, 78 invalid configuration (or no key for gen-token).
      Reference: docs/cli.md and docs/configuration.md in the Switchboard repository.
      """;

  private Usage() {
  }
}
