# syntax=docker/dockerfile:1
# One recipe for every service, built from the sources (nothing needs to be built on the host):
#   docker build --build-arg MODULE=gateway -t media-sync/gateway:0.1.0-SNAPSHOT .
# MODULE: state-processor, gateway, pubnub-relay or trending. docker compose builds all four.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
ARG MODULE
# the Maven repository is a build cache: a second image (or a rebuild) downloads nothing again
RUN --mount=type=cache,target=/root/.m2 \
    test -n "$MODULE" || { echo "set --build-arg MODULE=<service>"; exit 1; }; \
    ./mvnw -B --no-transfer-progress -DskipTests -Dmaven.test.skip=true package -pl "$MODULE" -am \
    && cp "$MODULE/target/$MODULE-0.1.0-SNAPSHOT-exec.jar" /app.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 sync && useradd --system --uid 10001 --gid 10001 sync \
    && mkdir -p /data && chown sync:sync /data
COPY --from=build /app.jar /app/app.jar
USER 10001:10001
WORKDIR /data
# The heap takes half of the container's memory unless JAVA_TOOL_OPTIONS says otherwise (k8s/ sets -Xmx
# per service so heap, RocksDB and the JVM's own memory add up inside the limit).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
