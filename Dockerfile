# Build: the same Maven build as on a workstation, tests skipped (CI runs them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml cluster.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
# the JavaScript client SDK, served by the node at /sdk/switchboard.js (the demo page imports it)
COPY clients/js/src ./clients/js/src
# the Java client's library sources: compiled with the tests (-DskipTests still compiles them)
COPY clients/java/src/main/java ./clients/java/src/main/java
RUN mvn -B -q package -DskipTests

# Run: a JRE and the fat jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 switchboard
WORKDIR /app
COPY --from=build /src/target/switchboard.jar ./switchboard.jar
COPY conf ./conf
USER switchboard
EXPOSE 8080
# JVM flags through JAVA_TOOL_OPTIONS, so a deployment can replace them without restating the command
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# Needs SB_JWT_SECRET or SB_JWT_PUBLIC_KEY: conf/config.json binds 0.0.0.0 with dev mode off.
ENTRYPOINT ["java", "-jar", "/app/switchboard.jar", "-conf", "/app/conf/config.json"]
