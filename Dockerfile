# Build: the same Maven build as on a workstation, the tests neither compiled nor run (CI runs them).
# DockerfileIT builds this stage from exactly the paths copied here, and starts the jar as below.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml cluster.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
# the JavaScript client: the node serves its SDK at /sdk/switchboard.js (the demo page imports it), and
# its npm package, package.json and the files it lists, at /sdk/switchboard-client.tgz
COPY clients/js/src ./clients/js/src
COPY clients/js/package.json clients/js/README.md clients/js/CHANGELOG.md clients/js/LICENSE ./clients/js/
# the settings reference, whose descriptions `switchboard.jar gen-config` writes as comments
COPY docs/configuration.md ./docs/
RUN mvn -B -q package -Dmaven.test.skip=true

# Run: a JRE and the fat jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 switchboard
WORKDIR /app
COPY --from=build /src/target/switchboard.jar ./switchboard.jar
COPY conf ./conf
USER switchboard
EXPOSE 8080
# JVM flags in JAVA_OPTS, so a deployment can replace them without restating the command. Not
# JAVA_TOOL_OPTIONS: the JVM prints "Picked up JAVA_TOOL_OPTIONS" first, a line that is not JSON.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75"
# Needs SB_JWT_SECRET or SB_JWT_PUBLIC_KEY: conf/config.json binds 0.0.0.0 with dev mode off.
# exec: java is PID 1 and gets SIGTERM (a drain); arguments given to the container are appended.
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /app/switchboard.jar -conf /app/conf/config.json \"$@\"", "switchboard"]
# Ready (not only alive): bash's /dev/tcp, since the JRE image has no curl or wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SB_HTTP_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
