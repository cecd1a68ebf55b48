# One image recipe for every service: docker build --build-arg MODULE=gateway -t media-sync/gateway .
# Build the jars first (./mvnw -B -DskipTests package); the image only copies the runnable jar.
FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 sync && mkdir -p /data && chown sync /data
COPY ${MODULE}/target/${MODULE}-0.1.0-SNAPSHOT-exec.jar /app/app.jar
USER sync
WORKDIR /data
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
